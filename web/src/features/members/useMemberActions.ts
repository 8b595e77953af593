import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { MEMBERS_INVITE } from './InviteMembers';
import type { Org } from '../../shell/OrgScope';
import { useConfirm } from '../../ui/Confirm';
import { useMutationAction } from '../../ui/useMutationAction';
import { roleLabel } from '../../format';
import type { MemberRole, MembersInviteMutation, RoleSource } from '../../gql/graphql';
import {
  ACCEPTED_IDS,
  type BulkPayload,
  type ByIdsMutation,
  CONFIRM,
  type Member,
  REINVITE,
  REMOVE,
  RESTORE,
  REVOKE,
  SET_ROLE_SOURCE,
  UPDATE_ROLE,
} from './queries';

/** A bulk member payload's outcome per member. */
const perMember = (p: BulkPayload) =>
  p.results.map((r): [string, BulkPayload['userErrors']] => [r.memberId, r.userErrors]);
const plural = (n: number) => `${n} member${n === 1 ? '' : 's'}`;

/**
 * What the Members page does to members: each action's failures shown in the member's row, a notice for what
 * succeeded, and the list refreshed after every change.
 */
export function useMemberActions(org: Org, refetch: () => Promise<unknown>) {
  const apollo = useApolloClient();
  const action = useMutationAction(refetch);
  const [notice, setNotice] = useState<string | null>(null);
  const { ask, dialog } = useConfirm();

  /** Members through a mutation that takes member ids and answers a MembersPayload in `field`. */
  const byIds = async (mutation: ByIdsMutation, field: string, ids: string[], done: string) => {
    setNotice(null);
    const input = { organizationId: org.id, memberIds: ids };
    const { succeeded } = await action.run(mutation, { input }, (d) => d[field], { rows: ids, perRow: perMember });
    if (succeeded.length) setNotice(`${done}: ${plural(succeeded.length)}.`);
  };

  const confirm = async (ids: string[]) => {
    setNotice(null);
    const input = { organizationId: org.id, members: ids.map((memberId) => ({ memberId })) };
    const { succeeded } = await action.run(CONFIRM, { input }, (d) => d.membersConfirm, {
      rows: ids,
      perRow: perMember,
    });
    if (succeeded.length) setNotice(`Confirmed: ${plural(succeeded.length)}.`);
  };

  const confirmAll = async () => {
    const r = await apollo.query({ query: ACCEPTED_IDS, variables: { id: org.id }, fetchPolicy: 'network-only' });
    const ids = (r.data?.organization?.members?.nodes ?? []).filter((m) => m.viewerCan.confirm).map((m) => m.id);
    if (ids.length) await confirm(ids);
    else setNotice('No accepted member waits for confirmation.');
  };

  const revoke = (m: Member) =>
    ask({
      title: 'Revoke access',
      message: `${m.email} loses access to the organization at once. You can restore it later.`,
      confirmLabel: 'Revoke access',
      danger: true,
      onConfirm: () => byIds(REVOKE, 'membersRevoke', [m.id], 'Access revoked'),
    });

  const remove = (m: Member) =>
    ask({
      title: 'Remove member',
      message: `${m.email} is removed from the organization and its groups. The audit trail keeps what happened.`,
      confirmLabel: 'Remove',
      danger: true,
      onConfirm: () => byIds(REMOVE, 'membersRemove', [m.id], 'Removed'),
    });

  /** Shows `done` when a change about one member went through. */
  const noticeIfOk = async (outcome: Promise<{ ok: boolean }>, done: string) => {
    setNotice(null);
    if ((await outcome).ok) setNotice(done);
  };

  // A STAGED member (provisioned without an e-mail) is invited by address, keeping its role.
  const inviteStaged = (m: Member) => {
    const input = { organizationId: org.id, emails: [m.email], role: m.role };
    const payloadOf = ({ membersInvite: p }: MembersInviteMutation) => ({
      userErrors: [...p.userErrors, ...p.results.flatMap((r) => r.userErrors)],
    });
    return noticeIfOk(action.run(MEMBERS_INVITE, { input }, payloadOf, { rows: [m.id] }), `Invited: ${plural(1)}.`);
  };

  const changeRole = (m: Member, next: string | null) => {
    if (!next || next === m.role) return;
    const input = { organizationId: org.id, memberId: m.id, role: next as MemberRole };
    const outcome = action.run(UPDATE_ROLE, { input }, (d) => d.memberUpdate, { rows: [m.id] });
    return noticeIfOk(outcome, `${m.email} is now ${roleLabel(next)}.`);
  };

  const setRoleSource = (m: Member, roleSource: RoleSource) => {
    const input = { organizationId: org.id, memberId: m.id, roleSource };
    const outcome = action.run(SET_ROLE_SOURCE, { input }, (d) => d.memberRoleSourceSet, { rows: [m.id] });
    const done =
      roleSource === 'GROUPS'
        ? `${m.email}'s role now comes from their groups.`
        : `${m.email}'s role is now set by hand.`;
    return noticeIfOk(outcome, done);
  };

  return {
    rowErrors: action.rowErrors,
    notice,
    dismissNotice: () => setNotice(null),
    dialog,
    confirm: (m: Member) => void confirm([m.id]),
    confirmAll: () => void confirmAll(),
    revoke,
    restore: (m: Member) => void byIds(RESTORE, 'membersRestore', [m.id], 'Access restored'),
    reinvite: (m: Member) => void byIds(REINVITE, 'membersReinvite', [m.id], 'Invitation sent again'),
    inviteStaged: (m: Member) => void inviteStaged(m),
    remove,
    changeRole: (m: Member, role: string | null) => void changeRole(m, role),
    setRoleSource: (m: Member, roleSource: RoleSource) => void setRoleSource(m, roleSource),
  };
}

export type MemberActions = ReturnType<typeof useMemberActions>;
