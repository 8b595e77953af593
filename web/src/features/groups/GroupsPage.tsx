import { Anchor, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ActionButton } from '../../ui/ActionButton';
import { ScimBadge, isScimManaged } from '../../ui/Badges';
import { useConfirm } from '../../ui/Confirm';
import { useOrg } from '../../shell/OrgScope';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { useUrlSearch } from '../../ui/useUrlSearch';
import { RequestError, RowError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { GroupCreateForm } from './GroupCreateForm';
import { GroupRenameDialog, type GroupToRename } from './GroupRenameDialog';
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
          managedBy
          members(first: 1) {
            totalCount
          }
        }
      }
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
  const { search, setSearch, query } = useUrlSearch('q', ['page']);
  const { error, loading, refetch, pager, connection } = usePagedQuery(GROUPS, {
    variables: { id: org.id, filter: query ? { query } : undefined },
    pageSize: PAGE_SIZE,
    urlKey: 'page',
    select: (d) => d.organization?.groups,
  });
  const remove = useMutationAction(refetch);
  const [renaming, setRenaming] = useState<GroupToRename | null>(null);
  const { ask, dialog } = useConfirm();
  const manage = org.viewerPermissions.manageGroups ? null : 'You may not manage groups in this organization.';

  const askDelete = (g: GroupToRename) =>
    ask({
      title: 'Delete group',
      message: `Delete ${g.displayName}? Its members stay in the organization.`,
      confirmLabel: 'Delete group',
      danger: true,
      onConfirm: async () => {
        const input = { organizationId: org.id, groupId: g.id };
        await remove.run(GROUP_DELETE, { input }, (d) => d.groupDelete, { rows: [g.id] });
      },
    });

  return (
    <Stack>
      <Title order={1}>Groups</Title>
      <RequestError error={error} />
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
                {isScimManaged(g) && <ScimBadge managedBy={g.managedBy} />}
              </Group>
            </Table.Td>
            <Table.Td>{g.members?.totalCount ?? '—'}</Table.Td>
            <Table.Td>
              <Group gap={6}>
                <ActionButton
                  size="xs"
                  variant="default"
                  deniedReason={manage}
                  onClick={() => setRenaming(g)}
                  aria-label={`Rename ${g.displayName}`}
                >
                  Rename
                </ActionButton>
                <ActionButton
                  size="xs"
                  variant="default"
                  deniedReason={manage}
                  onClick={() => askDelete(g)}
                  aria-label={`Delete ${g.displayName}`}
                >
                  Delete
                </ActionButton>
              </Group>
              <RowError message={remove.rowErrors[g.id]} />
            </Table.Td>
          </Table.Tr>
        )}
      />
      <GroupCreateForm orgId={org.id} deniedReason={manage} onCreated={refetch} />
      <GroupRenameDialog orgId={org.id} group={renaming} onClose={() => setRenaming(null)} onRenamed={refetch} />
    </Stack>
  );
}
