import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Alert, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { ActionButton } from '../components/ActionButton';
import { ScimBadge, StatusBadge } from '../components/Badges';
import { useConfirm } from '../components/Confirm';
import { InviteMembers, MEMBERS_INVITE } from '../components/InviteMembers';
import { type Org, useOrg } from '../components/OrgScope';
import { Pager, useCursorPager } from '../components/Pager';
import { RequestError, type UserErrorLike } from '../components/UserErrors';
import { roleLabel, statusLabel } from '../format';
import { graphql } from '../gql';
import type { MemberRole, MemberSource, MemberStatus, MembersQuery } from '../gql/graphql';
import { usePageTitle } from '../usePageTitle';

const PAGE_SIZE = 50;

const MEMBERS = graphql(`
  query Members($id: ID!, $first: Int!, $after: String, $filter: MemberFilter) {
    organization(id: $id) {
      id
      memberStatusCounts {
        invited
        accepted
        confirmed
        revoked
        staged
        total
      }
      seats {
        used
        limit
      }
      members(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          email
          displayName
          name {
            formatted
          }
          role
          status
          source
          revocationReason
          viewerCan {
            confirm
            revoke
            restore
            remove
            reinvite
            changeRole
          }
        }
      }
    }
  }
`);

const ACCEPTED_IDS = graphql(`
  query AcceptedMemberIds($id: ID!) {
    organization(id: $id) {
      id
      members(first: 100, filter: { statuses: [ACCEPTED] }) {
        nodes {
          id
          viewerCan {
            confirm
          }
        }
      }
    }
  }
`);

const CONFIRM = graphql(`
  mutation MembersConfirm($input: MembersConfirmInput!) {
    membersConfirm(input: $input) {
      results {
        memberId
        userErrors {
          code
          field
          message
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const REVOKE = graphql(`
  mutation MembersRevoke($input: MembersRevokeInput!) {
    membersRevoke(input: $input) {
      results {
        memberId
        userErrors {
          code
          field
          message
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const RESTORE = graphql(`
  mutation MembersRestore($input: MemberIdsInput!) {
    membersRestore(input: $input) {
      results {
        memberId
        userErrors {
          code
          field
          message
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const REMOVE = graphql(`
  mutation MembersRemove($input: MemberIdsInput!) {
    membersRemove(input: $input) {
      results {
        memberId
        userErrors {
          code
          field
          message
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const REINVITE = graphql(`
  mutation MembersReinvite($input: MemberIdsInput!) {
    membersReinvite(input: $input) {
      results {
        memberId
        userErrors {
          code
          field
          message
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const UPDATE_ROLE = graphql(`
  mutation MemberRoleUpdate($input: MemberUpdateInput!) {
    memberUpdate(input: $input) {
      member {
        id
        role
        viewerCan {
          changeRole
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

type Member = NonNullable<MembersQuery['organization']>['members'] extends infer C
  ? C extends { nodes: (infer N)[] }
    ? N
    : never
  : never;
type BulkPayload = { results: { memberId: string; userErrors: UserErrorLike[] }[]; userErrors: UserErrorLike[] };

const STATUS_OPTIONS = ['INVITED', 'ACCEPTED', 'CONFIRMED', 'REVOKED', 'STAGED'].map((s) => ({
  value: s,
  label: statusLabel(s),
}));
const ROLE_OPTIONS = ['OWNER', 'ADMIN', 'CUSTOM', 'USER'].map((r) => ({ value: r, label: roleLabel(r) }));
const SOURCE_OPTIONS = [
  { value: 'SCIM', label: 'SCIM (identity provider)' },
  { value: 'MANUAL', label: 'Manual (invited here)' },
];

/** Why a member action is refused (the server's viewerCan says no; the buttons shown follow the member's status). */
function denied(allowed: boolean, org: Org): string | null {
  if (allowed) return null;
  if (!org.viewerPermissions.manageMembers) return 'You may not manage members in this organization.';
  return "You may not act on this member: their role is above what you may manage, or it's your own membership.";
}

/** Members: search, filters, invitations, confirm / revoke / restore / remove, role changes. */
export function MembersPage() {
  const org = useOrg();
  usePageTitle(`Members · ${org.name}`);
  const apollo = useApolloClient();
  const pager = useCursorPager();
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const [status, setStatus] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const { ask, dialog } = useConfirm();

  const filter = {
    query: query || undefined,
    statuses: status ? [status as MemberStatus] : undefined,
    roles: role ? [role as MemberRole] : undefined,
    sources:
      source === 'SCIM'
        ? (['SCIM'] as MemberSource[])
        : source === 'MANUAL'
          ? (['INVITE', 'OWNER'] as MemberSource[])
          : undefined,
  };
  const { reset } = pager;
  useEffect(() => reset(), [query, status, role, source, reset]);

  const { data, error, refetch } = useQuery(MEMBERS, {
    variables: { id: org.id, first: PAGE_SIZE, after: pager.after, filter },
  });
  const [confirm] = useMutation(CONFIRM);
  const [revoke] = useMutation(REVOKE);
  const [restore] = useMutation(RESTORE);
  const [remove] = useMutation(REMOVE);
  const [reinvite] = useMutation(REINVITE);
  const [updateRole] = useMutation(UPDATE_ROLE);
  const [invite] = useMutation(MEMBERS_INVITE);

  /** Runs a bulk mutation, shows each member's userErrors in its row, refreshes the list. */
  const run = async (ids: string[], mutate: () => Promise<BulkPayload | undefined>, done: string) => {
    setNotice(null);
    setRowErrors((e) => Object.fromEntries(Object.entries(e).filter(([id]) => !ids.includes(id))));
    try {
      const payload = await mutate();
      const failed: Record<string, string> = {};
      for (const r of payload?.results ?? [])
        if (r.userErrors.length) failed[r.memberId] = r.userErrors.map((u) => u.message).join(' ');
      if (!payload?.results.length && payload?.userErrors.length)
        for (const id of ids) failed[id] = payload.userErrors.map((u) => u.message).join(' ');
      setRowErrors((e) => ({ ...e, ...failed }));
      const succeeded = ids.length - Object.keys(failed).length;
      if (succeeded > 0) setNotice(`${done}: ${succeeded} member${succeeded === 1 ? '' : 's'}.`);
    } catch (err) {
      for (const id of ids) setRowErrors((e) => ({ ...e, [id]: err instanceof Error ? err.message : String(err) }));
    }
    await refetch();
  };

  const doConfirm = (ids: string[]) =>
    run(
      ids,
      async () =>
        (
          await confirm({
            variables: { input: { organizationId: org.id, members: ids.map((memberId) => ({ memberId })) } },
          })
        ).data?.membersConfirm,
      'Confirmed',
    );
  const confirmAll = async () => {
    const r = await apollo.query({ query: ACCEPTED_IDS, variables: { id: org.id }, fetchPolicy: 'network-only' });
    const ids = (r.data?.organization?.members?.nodes ?? []).filter((m) => m.viewerCan.confirm).map((m) => m.id);
    if (ids.length) await doConfirm(ids);
    else setNotice('No accepted member waits for confirmation.');
  };
  const askRevoke = (m: Member) =>
    ask({
      title: 'Revoke access',
      message: `${m.email} loses access to the organization at once. You can restore it later.`,
      confirmLabel: 'Revoke access',
      danger: true,
      onConfirm: () =>
        run(
          [m.id],
          async () =>
            (await revoke({ variables: { input: { organizationId: org.id, memberIds: [m.id] } } })).data?.membersRevoke,
          'Access revoked',
        ),
    });
  const doRestore = (m: Member) =>
    run(
      [m.id],
      async () =>
        (await restore({ variables: { input: { organizationId: org.id, memberIds: [m.id] } } })).data?.membersRestore,
      'Access restored',
    );
  const doReinvite = (m: Member) =>
    run(
      [m.id],
      async () =>
        (await reinvite({ variables: { input: { organizationId: org.id, memberIds: [m.id] } } })).data?.membersReinvite,
      'Invitation sent again',
    );
  // A STAGED member (provisioned without an e-mail) is invited by address, keeping its role.
  const doInviteStaged = (m: Member) =>
    run(
      [m.id],
      async () => {
        const p = (await invite({ variables: { input: { organizationId: org.id, emails: [m.email], role: m.role } } }))
          .data?.membersInvite;
        return (
          p && {
            results: p.results.map((r) => ({ memberId: m.id, userErrors: r.userErrors })),
            userErrors: p.userErrors,
          }
        );
      },
      'Invited',
    );
  const askRemove = (m: Member) =>
    ask({
      title: 'Remove member',
      message: `${m.email} is removed from the organization and its groups. The audit trail keeps what happened.`,
      confirmLabel: 'Remove',
      danger: true,
      onConfirm: () =>
        run(
          [m.id],
          async () =>
            (await remove({ variables: { input: { organizationId: org.id, memberIds: [m.id] } } })).data?.membersRemove,
          'Removed',
        ),
    });
  const changeRole = async (m: Member, next: string | null) => {
    if (!next || next === m.role) return;
    setRowErrors(({ [m.id]: _, ...rest }) => rest);
    const r = await updateRole({
      variables: { input: { organizationId: org.id, memberId: m.id, role: next as MemberRole } },
    }).catch((err: Error) => ({ data: undefined, error: err }));
    const errors = r.data?.memberUpdate.userErrors ?? [];
    if (errors.length || !r.data)
      setRowErrors((e) => ({
        ...e,
        [m.id]: errors.map((u) => u.message).join(' ') || 'The role could not be changed.',
      }));
    else setNotice(`${m.email} is now ${roleLabel(next)}.`);
    await refetch();
  };

  const o = data?.organization;
  const members = o?.members;
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
          <ActionButton variant="default" deniedReason={manage} onClick={() => void confirmAll()}>
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
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search members"
          placeholder="E-mail or name"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: '1 1 220px' }}
        />
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUS_OPTIONS}
          value={status}
          onChange={setStatus}
          clearable
          w={230}
        />
        <Select
          label="Role"
          placeholder="Any role"
          data={ROLE_OPTIONS}
          value={role}
          onChange={setRole}
          clearable
          w={140}
        />
        <Select
          label="Source"
          placeholder="Any source"
          data={SOURCE_OPTIONS}
          value={source}
          onChange={setSource}
          clearable
          w={210}
        />
      </Group>
      {notice && (
        <Alert color="green" role="status" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <RequestError error={error} />
      {dialog}
      {members && (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing="xs" aria-label="Members">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Member</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {members.nodes.map((m) => (
                  <MemberRow
                    key={m.id}
                    m={m}
                    org={org}
                    error={rowErrors[m.id]}
                    onConfirm={() => void doConfirm([m.id])}
                    onRevoke={() => askRevoke(m)}
                    onRestore={() => void doRestore(m)}
                    onReinvite={() => void doReinvite(m)}
                    onInvite={() => void doInviteStaged(m)}
                    onRemove={() => askRemove(m)}
                    onRole={(r) => void changeRole(m, r)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            pager={pager}
            pageSize={PAGE_SIZE}
            shown={members.nodes.length}
            totalCount={members.totalCount}
            hasNextPage={members.pageInfo.hasNextPage}
            endCursor={members.pageInfo.endCursor}
            noun="members"
          />
        </>
      )}
    </Stack>
  );
}

interface MemberRowProps {
  m: Member;
  org: Org;
  error: string | undefined;
  onConfirm: () => void;
  onRevoke: () => void;
  onRestore: () => void;
  onReinvite: () => void;
  onInvite: () => void;
  onRemove: () => void;
  onRole: (role: string | null) => void;
}

function MemberRow({
  m,
  org,
  error,
  onConfirm,
  onRevoke,
  onRestore,
  onReinvite,
  onInvite,
  onRemove,
  onRole,
}: MemberRowProps) {
  const name = m.displayName || m.name.formatted;
  const can = m.viewerCan;
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <div>
            <Text size="sm" fw={500}>
              {m.email}
            </Text>
            {name && (
              <Text size="xs" c="dimmed">
                {name}
              </Text>
            )}
          </div>
          {m.source === 'SCIM' && <ScimBadge />}
        </Group>
      </Table.Td>
      <Table.Td>
        <StatusBadge status={m.status} reason={m.revocationReason} />
      </Table.Td>
      <Table.Td>
        {can.changeRole ? (
          <Select
            aria-label={`Role of ${m.email}`}
            data={ROLE_OPTIONS}
            value={m.role}
            onChange={onRole}
            allowDeselect={false}
            size="xs"
            w={120}
          />
        ) : (
          <Text size="sm">{roleLabel(m.role)}</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="wrap">
          {m.status === 'ACCEPTED' && (
            <ActionButton size="xs" deniedReason={denied(can.confirm, org)} onClick={onConfirm}>
              Confirm
            </ActionButton>
          )}
          {m.status === 'INVITED' && (
            <ActionButton size="xs" variant="default" deniedReason={denied(can.reinvite, org)} onClick={onReinvite}>
              Reinvite
            </ActionButton>
          )}
          {m.status === 'STAGED' && (
            <ActionButton
              size="xs"
              variant="default"
              deniedReason={denied(org.viewerPermissions.manageMembers, org)}
              onClick={onInvite}
            >
              Send invitation
            </ActionButton>
          )}
          {m.status === 'REVOKED' ? (
            <ActionButton size="xs" variant="default" deniedReason={denied(can.restore, org)} onClick={onRestore}>
              Restore access
            </ActionButton>
          ) : (
            <ActionButton size="xs" variant="default" deniedReason={denied(can.revoke, org)} onClick={onRevoke}>
              Revoke access
            </ActionButton>
          )}
          <ActionButton size="xs" variant="default" deniedReason={denied(can.remove, org)} onClick={onRemove}>
            Remove
          </ActionButton>
        </Group>
        {error && (
          <Text size="xs" c="var(--mantine-color-error)" role="alert" mt={4}>
            {error}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
