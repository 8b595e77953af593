import { Alert, Group, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect } from 'react';
import { sameAddress } from '../../auth';
import { useOrg } from '../../shell/OrgScope';
import { useViewer } from '../../shell/Shell';
import { ActionButton } from '../../ui/ActionButton';
import { ExportLink } from '../../ui/ExportLink';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { usePageTitle } from '../../ui/usePageTitle';
import { SelectPageCheckbox, useRowSelection } from '../../ui/Selection';
import { RequestError } from '../../ui/UserErrors';
import { BulkActionDialog } from './BulkActionDialog';
import { InviteMembers } from './InviteMembers';
import { MemberBulkBar } from './MemberBulkBar';
import { MemberCards } from './MemberCards';
import { MEMBERS_PAGE_KEY, MemberFilters, useMemberFilter } from './MemberFilters';
import { MemberRow } from './MemberRow';
import { membersCsv } from './membersCsv';
import { type Member, MEMBERS } from './queries';
import { StatusChips } from './StatusChips';
import { useMemberActions } from './useMemberActions';

const PAGE_SIZE = 50;
const COLUMNS = ['Member', 'Status', 'Role', 'Actions'];
/** Below this width rows become cards and the filters fold into a sheet (a phone held upright). */
const COMPACT = '(max-width: 600px)';

/** Members: search, filters, invitations, confirm / revoke / restore / remove, role changes, profiles. */
export function MembersPage() {
  const org = useOrg();
  const viewer = useViewer();
  usePageTitle(`Members · ${org.name}`);
  const compact = useMediaQuery(COMPACT, false, { getInitialValueInEffect: false });
  const filters = useMemberFilter();
  const { data, error, loading, refetch, pager, connection } = usePagedQuery(MEMBERS, {
    variables: { id: org.id, filter: filters.filter, orderBy: filters.orderBy },
    pageSize: PAGE_SIZE,
    select: (d) => d.organization?.members,
    urlKey: MEMBERS_PAGE_KEY,
  });
  const actions = useMemberActions(org, refetch);
  const selection = useRowSelection();
  const { clear } = selection;
  // A selection is of the rows on screen: another page, filter or sort starts without one.
  const shownKey = JSON.stringify([filters.filter, filters.sort, pager.after]);
  useEffect(() => clear(), [shownKey, clear]);

  const o = data?.organization;
  const counts = o?.memberStatusCounts;
  const manage = org.viewerPermissions.manageMembers ? null : 'You may not manage members in this organization.';
  const rowProps = (m: Member) => ({
    org,
    error: actions.rowErrors[m.id],
    actions,
    own: sameAddress(m.email, viewer.user.email),
  });

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
          <ExportLink href={membersCsv(org.id, filters.filter, filters.orderBy)} />
          <InviteMembers org={org} deniedReason={manage} onInvited={() => void refetch()} />
        </Group>
      </Group>
      {counts && (
        <StatusChips counts={counts} status={filters.choice('status')} onStatus={(s) => filters.choose('status', s)} />
      )}
      <MemberFilters state={filters} compact={compact} />
      {actions.notice && (
        <Alert color="green" role="status" withCloseButton closeButtonLabel="Dismiss" onClose={actions.dismissNotice}>
          {actions.notice}
        </Alert>
      )}
      <RequestError error={error} />
      {actions.dialog}
      {!compact && connection && (
        <MemberBulkBar
          members={connection.nodes}
          total={connection.totalCount}
          filter={filters.filter}
          selection={selection}
          actions={actions}
        />
      )}
      <BulkActionDialog org={org} {...actions.bulk} />
      {compact ? (
        <MemberCards connection={connection} pager={pager} loading={loading} card={rowProps} />
      ) : (
        <PagedTable
          label="Members"
          columns={COLUMNS}
          minWidth={760}
          tableProps={{ striped: true, verticalSpacing: 'xs' }}
          connection={connection}
          loading={loading}
          pager={pager}
          noun="members"
          leadingHeader={(nodes) => (
            <SelectPageCheckbox ids={nodes.map((m) => m.id)} selection={selection} noun="members" />
          )}
          row={(m) => (
            <MemberRow
              m={m}
              {...rowProps(m)}
              selected={selection.selected.has(m.id)}
              onSelect={(on) => selection.toggle(m.id, on)}
            />
          )}
        />
      )}
    </Stack>
  );
}
