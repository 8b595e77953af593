import { Alert, Anchor, Breadcrumbs, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { isNotFound } from '../../apollo';
import { ActionButton } from '../../ui/ActionButton';
import { ScimBadge, StatusBadge, isScimManaged } from '../../ui/Badges';
import { useOrg } from '../../shell/OrgScope';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { RequestError, RowError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { graphql } from '../../gql';
import { usePageTitle } from '../../ui/usePageTitle';
import { ErrorPage } from '../../ui/ErrorPage';
import { GroupMemberPicker } from './GroupMemberPicker';
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
        managedBy
        roleMapping {
          role
          permissions {
            ...PermissionsFields
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

const REMOVE = graphql(`
  mutation GroupMembersRemove($input: GroupMembersInput!) {
    groupMembersRemove(input: $input) {
      ...GroupPayloadFields
    }
  }
`);

/**
 * One group: its members, a search picker to add members, removal from the group; read-only for a group an
 * identity provider manages (its next push would undo a change made here).
 */
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
  const removeOne = (memberId: string) =>
    remove.run(REMOVE, members([memberId]), (d) => d.groupMembersRemove, { rows: [memberId] });
  // An identity provider's group changes there: its membership is read-only here.
  const managedBy = group?.managedBy ?? null;
  const readOnly = managedBy ? `${managedBy} manages this group's members: change them in ${managedBy}.` : null;
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
        {group && isScimManaged(group) && <ScimBadge managedBy={managedBy} />}
      </Group>
      <RequestError error={error} />
      {group && (
        <GroupRoleMapping org={org} groupId={group.id} mapping={group.roleMapping ?? null} onChanged={refetch} />
      )}
      {readOnly ? (
        <Alert color="blue" title={`Managed by ${managedBy}`}>
          {readOnly}
        </Alert>
      ) : (
        group && <GroupMemberPicker org={org} groupId={group.id} deniedReason={manage} onAdded={refetch} />
      )}
      <PagedTable
        label="Group members"
        columns={readOnly ? ['Member', 'Status'] : ['Member', 'Status', 'Actions']}
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
            {!readOnly && (
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
            )}
          </Table.Tr>
        )}
      />
    </Stack>
  );
}
