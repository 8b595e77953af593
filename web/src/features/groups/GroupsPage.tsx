import { useMutation } from '@apollo/client/react';
import { Anchor, Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ActionButton } from '../../ui/ActionButton';
import { ScimBadge, isScimManaged } from '../../ui/Badges';
import { useConfirm } from '../../ui/Confirm';
import { useOrg } from '../../shell/OrgScope';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { FormErrors, RequestError, fieldError } from '../../ui/UserErrors';
import { graphql } from '../../gql';
import { usePageTitle } from '../../ui/usePageTitle';

const PAGE_SIZE = 20;

const GROUPS = graphql(`
  query Groups($id: ID!, $first: Int!, $after: String, $filter: GroupFilter) {
    organization(id: $id) {
      id
      groups(first: $first, after: $after, filter: $filter, orderBy: { field: DISPLAY_NAME }) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        nodes {
          id
          displayName
          externalId
          source
          members(first: 1) {
            totalCount
          }
        }
      }
    }
  }
`);

const GROUP_CREATE = graphql(`
  mutation GroupCreate($input: GroupCreateInput!) {
    groupCreate(input: $input) {
      ...GroupPayloadFields
    }
  }
`);

const GROUP_UPDATE = graphql(`
  mutation GroupUpdate($input: GroupUpdateInput!) {
    groupUpdate(input: $input) {
      ...GroupPayloadFields
    }
  }
`);

const GROUP_DELETE = graphql(`
  mutation GroupDelete($input: GroupDeleteInput!) {
    groupDelete(input: $input) {
      deletedGroupId
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

/** Groups: list and search, create, rename, delete; members are edited on each group's page. */
export function GroupsPage() {
  const org = useOrg();
  usePageTitle(`Groups · ${org.name}`);
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const { error, loading, refetch, pager, connection } = usePagedQuery(GROUPS, {
    variables: { id: org.id, filter: query ? { query } : undefined },
    pageSize: PAGE_SIZE,
    select: (d) => d.organization?.groups,
  });
  const [name, setName] = useState('');
  const [create, created] = useMutation(GROUP_CREATE);
  const [update, updated] = useMutation(GROUP_UPDATE);
  const [remove] = useMutation(GROUP_DELETE);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const { ask, dialog } = useConfirm();
  const manage = org.viewerPermissions.manageGroups ? null : 'You may not manage groups in this organization.';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ variables: { input: { organizationId: org.id, displayName: name } } });
    if (r.data?.groupCreate.group) {
      setName('');
      await refetch();
    }
  };
  const rename = async (e: FormEvent) => {
    e.preventDefault();
    if (!renaming) return;
    const r = await update({
      variables: { input: { organizationId: org.id, groupId: renaming.id, displayName: renaming.name } },
    });
    if (r.data?.groupUpdate.group) {
      setRenaming(null);
      await refetch();
    }
  };
  const askDelete = (g: { id: string; displayName: string }) =>
    ask({
      title: 'Delete group',
      message: `Delete ${g.displayName}? Its members stay in the organization.`,
      confirmLabel: 'Delete group',
      danger: true,
      onConfirm: async () => {
        const r = await remove({ variables: { input: { organizationId: org.id, groupId: g.id } } });
        const errors = r.data?.groupDelete.userErrors ?? [];
        if (errors.length) setRowErrors((x) => ({ ...x, [g.id]: errors.map((u) => u.message).join(' ') }));
        await refetch();
      },
    });

  const createErrors = created.data?.groupCreate.userErrors;
  const renameErrors = updated.data?.groupUpdate.userErrors;
  return (
    <Stack>
      <Title order={1}>Groups</Title>
      <RequestError error={error ?? created.error} />
      {dialog}
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search groups"
          placeholder="Group name"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: '1 1 220px' }}
        />
      </Group>
      <PagedTable
        label="Groups"
        columns={['Group', 'Members', 'Actions']}
        minWidth={520}
        connection={connection}
        loading={loading}
        pager={pager}
        noun="groups"
        row={(g) => (
          <Table.Tr>
            <Table.Td>
              <Group gap={6}>
                <Anchor component={Link} to={`/orgs/${org.id}/groups/${g.id}`}>
                  {g.displayName}
                </Anchor>
                {isScimManaged(g) && <ScimBadge />}
              </Group>
            </Table.Td>
            <Table.Td>{g.members?.totalCount ?? '—'}</Table.Td>
            <Table.Td>
              <Group gap={6}>
                <ActionButton
                  size="xs"
                  variant="default"
                  deniedReason={manage}
                  onClick={() => setRenaming({ id: g.id, name: g.displayName })}
                >
                  Rename
                </ActionButton>
                <ActionButton size="xs" variant="default" deniedReason={manage} onClick={() => askDelete(g)}>
                  Delete
                </ActionButton>
              </Group>
              {rowErrors[g.id] && (
                <Text size="xs" c="var(--mantine-color-error)" role="alert">
                  {rowErrors[g.id]}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        )}
      />
      <Paper withBorder p="md">
        <form onSubmit={submit} aria-label="Create a group">
          <Title order={2} size="h4" mb="xs">
            Create a group
          </Title>
          <Group align="flex-start">
            <TextInput
              label="Group name"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(createErrors, 'displayName')}
              style={{ flex: 1, minWidth: 200 }}
            />
            <ActionButton type="submit" mt={25} deniedReason={manage} loading={created.loading}>
              Create group
            </ActionButton>
          </Group>
          <FormErrors errors={createErrors} except={['displayName']} />
        </form>
      </Paper>
      <Modal opened={renaming !== null} onClose={() => setRenaming(null)} title="Rename group" centered>
        <form onSubmit={rename}>
          <Stack>
            <TextInput
              label="Group name"
              value={renaming?.name ?? ''}
              onChange={(e) => setRenaming((r) => r && { ...r, name: e.currentTarget.value })}
              error={fieldError(renameErrors, 'displayName')}
              data-autofocus
            />
            <FormErrors errors={renameErrors} except={['displayName']} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRenaming(null)}>
                Cancel
              </Button>
              <Button type="submit" loading={updated.loading}>
                Save name
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
