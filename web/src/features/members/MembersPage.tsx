import { Alert, Group, Stack, Text, Title } from '@mantine/core';
import { ActionButton } from '../../ui/ActionButton';
import { InviteMembers } from './InviteMembers';
import { useOrg } from '../../shell/OrgScope';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { RequestError } from '../../ui/UserErrors';
import { usePageTitle } from '../../ui/usePageTitle';
import { MemberFilters, useMemberFilter } from './MemberFilters';
import { MemberRow } from './MemberRow';
import { MEMBERS } from './queries';
import { useMemberActions } from './useMemberActions';

const PAGE_SIZE = 50;
const COLUMNS = ['Member', 'Status', 'Role', 'Actions'];

/** Members: search, filters, invitations, confirm / revoke / restore / remove, role changes, profiles. */
export function MembersPage() {
  const org = useOrg();
  usePageTitle(`Members · ${org.name}`);
  const filters = useMemberFilter();
  const { data, error, loading, refetch, pager, connection } = usePagedQuery(MEMBERS, {
    variables: { id: org.id, filter: filters.filter },
    pageSize: PAGE_SIZE,
    select: (d) => d.organization?.members,
  });
  const actions = useMemberActions(org, refetch);

  const o = data?.organization;
  const counts = o?.memberStatusCounts;
  const manage = org.viewerPermissions.manageMembers ? null : 'You may not manage members in this organization.';

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={1}>Members</Title>
          <Text size="sm" c="dimmed">
            {org.name}
            {o?.seats ? ` · ${o.seats.used} of ${o.seats.limit ?? 'unlimited'} seats used` : ''}
          </Text>
        </div>
        <Group gap="xs">
          <ActionButton variant="default" deniedReason={manage} onClick={actions.confirmAll}>
            Confirm all accepted{counts ? ` (${counts.accepted})` : ''}
          </ActionButton>
          <InviteMembers org={org} deniedReason={manage} onInvited={() => void refetch()} />
        </Group>
      </Group>
      {counts && (
        <Text size="sm" aria-label="Members per status">
          {counts.total} members: {counts.confirmed} confirmed, {counts.accepted} accepted, {counts.invited} invited,{' '}
          {counts.staged} staged, {counts.revoked} revoked
        </Text>
      )}
      <MemberFilters state={filters} />
      {actions.notice && (
        <Alert color="green" role="status" withCloseButton closeButtonLabel="Dismiss" onClose={actions.dismissNotice}>
          {actions.notice}
        </Alert>
      )}
      <RequestError error={error} />
      {actions.dialog}
      <PagedTable
        label="Members"
        columns={COLUMNS}
        minWidth={760}
        tableProps={{ striped: true, verticalSpacing: 'xs' }}
        connection={connection}
        loading={loading}
        pager={pager}
        noun="members"
        row={(m) => <MemberRow m={m} org={org} error={actions.rowErrors[m.id]} actions={actions} />}
      />
    </Stack>
  );
}
