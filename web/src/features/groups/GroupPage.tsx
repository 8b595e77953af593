import { useQuery } from '@apollo/client/react';
import { Anchor, Breadcrumbs, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isNotFound } from '../../apollo';
import { ActionButton } from '../../ui/ActionButton';
import { ScimBadge, StatusBadge, isScimManaged } from '../../ui/Badges';
import { useOrg } from '../../shell/OrgScope';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { FormErrors, RequestError, RowError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { graphql } from '../../gql';
import { usePageTitle } from '../../ui/usePageTitle';
import { ErrorPage } from '../../ui/ErrorPage';
import { GroupRoleMapping } from './GroupRoleMapping';

const PAGE_SIZE = 20;

const GROUP = graphql(`
  query GroupDetail($id: ID!, $groupId: ID!, $first: Int!, $after: String) {
    organization(id: $id) {
      id
      group(id: $groupId) {
        id
        displayName
        externalId
        source
        roleMapping {
          role
          permissions {
            manageUsers
            manageGroups
            manageScim
            manageScimKeys
            accessEventLogs
            manageWebhooks
          }
        }
        members(first: $first, after: $after) {
          totalCount
          pageInfo {
            ...PageInfoFields
          }
          nodes {
            id
            email
            displayName
            status
            source
          }
        }
      }
    }
  }
`);

const MEMBER_PICKER = graphql(`
  query MemberPicker($id: ID!, $query: String) {
    organization(id: $id) {
      id
      members(first: 20, filter: { query: $query }) {
        nodes {
          id
          email
          displayName
        }
      }
    }
  }
`);

const ADD = graphql(`
  mutation GroupMembersAdd($input: GroupMembersInput!) {
    groupMembersAdd(input: $input) {
      ...GroupPayloadFields
    }
  }
`);
const REMOVE = graphql(`
  mutation GroupMembersRemove($input: GroupMembersInput!) {
    groupMembersRemove(input: $input) {
      ...GroupPayloadFields
    }
  }
`);

/** One group: its members, a search picker to add members, removal from the group. */
export function GroupPage() {
  const org = useOrg();
  const { groupId } = useParams();
  const { data, error, loading, refetch, pager, connection } = usePagedQuery(GROUP, {
    variables: { id: org.id, groupId: groupId! },
    pageSize: PAGE_SIZE,
    select: (d) => d.organization?.group?.members,
  });
  const group = data?.organization?.group;
  usePageTitle(`${group?.displayName ?? 'Group'} · ${org.name}`);
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const picker = useQuery(MEMBER_PICKER, {
    variables: { id: org.id, query: query || undefined },
    skip: !org.viewerPermissions.manageGroups,
  });
  const [picked, setPicked] = useState<string | null>(null);
  const add = useMutationAction(refetch);
  const remove = useMutationAction(refetch);
  const manage = org.viewerPermissions.manageGroups ? null : 'You may not manage groups in this organization.';

  if (error && isNotFound(error))
    return (
      <ErrorPage
        title="Group not found"
        message="This group does not exist (it may have been deleted)."
        action={{ to: `/orgs/${org.id}/groups`, label: 'Back to groups' }}
      />
    );

  const members = (memberIds: string[]) => ({ input: { organizationId: org.id, groupId: groupId!, memberIds } });
  const addPicked = async () => {
    if (!picked) return;
    setPicked(null);
    setSearch('');
    await add.run(ADD, members([picked]), (d) => d.groupMembersAdd);
  };
  const removeOne = (memberId: string) =>
    remove.run(REMOVE, members([memberId]), (d) => d.groupMembersRemove, { rows: [memberId] });
  const options = (picker.data?.organization?.members?.nodes ?? []).map((m) => ({
    value: m.id,
    label: m.displayName ? `${m.displayName} <${m.email}>` : m.email,
  }));
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to={`/orgs/${org.id}/groups`}>
          Groups
        </Anchor>
        <Text>{group?.displayName ?? '…'}</Text>
      </Breadcrumbs>
      <Group gap="xs">
        <Title order={1}>{group?.displayName ?? 'Group'}</Title>
        {group && isScimManaged(group) && <ScimBadge />}
      </Group>
      <RequestError error={error} />
      {group && (
        <GroupRoleMapping org={org} groupId={group.id} mapping={group.roleMapping ?? null} onChanged={refetch} />
      )}
      <Group align="flex-end" wrap="wrap">
        <Select
          label="Add a member"
          placeholder="Search by e-mail or name"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={options}
          value={picked}
          onChange={setPicked}
          filter={({ options: o }) => o}
          nothingFoundMessage={query ? 'No member matches' : undefined}
          style={{ flex: '1 1 260px' }}
          disabled={manage !== null}
        />
        <ActionButton
          deniedReason={manage ?? (picked ? null : 'Pick a member first.')}
          onClick={() => void addPicked()}
          loading={add.loading}
        >
          Add to group
        </ActionButton>
      </Group>
      <FormErrors errors={add.errors} />
      <PagedTable
        label="Group members"
        columns={['Member', 'Status', 'Actions']}
        minWidth={480}
        connection={connection}
        loading={loading}
        pager={pager}
        noun="members"
        row={(m) => (
          <Table.Tr>
            <Table.Td>
              <Group gap={6}>
                <Text size="sm">{m.email}</Text>
                {m.source === 'SCIM' && <ScimBadge />}
              </Group>
            </Table.Td>
            <Table.Td>
              <StatusBadge status={m.status} />
            </Table.Td>
            <Table.Td>
              <ActionButton
                size="xs"
                variant="default"
                deniedReason={manage}
                onClick={() => void removeOne(m.id)}
                aria-label={`Remove from group: ${m.email}`}
              >
                Remove from group
              </ActionButton>
              <RowError message={remove.rowErrors[m.id]} />
            </Table.Td>
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
