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
import { roleChangeConsequence } from './roles';

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
    const apply = () =>
      noticeIfOk(
        action.run(UPDATE_ROLE, { input }, (d) => d.memberUpdate, { rows: [m.id] }),
        `${m.email} is now ${roleLabel(next)}.`,
      );
    // Giving or taking owner or admin powers is asked first, naming what changes.
    const consequence = roleChangeConsequence(m.email, m.role, next);
    if (!consequence) return apply();
    ask({
      title: `Make ${m.email} ${roleLabel(next)}?`,
      message: consequence,
      confirmLabel: `Make ${roleLabel(next)}`,
      onConfirm: apply,
    });
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

  /** Several members at once: those of `members` the change fits (status and viewerCan), with one question. */
  const many = (members: readonly Member[]) => {
    const ids = (fits: (m: Member) => boolean) => members.filter(fits).map((m) => m.id);
    const count = (n: number) => plural(n);
    return {
      confirm: ids((m) => m.status === 'ACCEPTED' && m.viewerCan.confirm),
      reinvite: ids((m) => m.status === 'INVITED' && m.viewerCan.reinvite),
      revoke: ids((m) => m.status !== 'REVOKED' && m.viewerCan.revoke),
      restore: ids((m) => m.status === 'REVOKED' && m.viewerCan.restore),
      remove: ids((m) => m.viewerCan.remove),
      run: {
        confirm: (list: string[]) => confirm(list),
        reinvite: (list: string[]) => byIds(REINVITE, 'membersReinvite', list, 'Invitation sent again'),
        restore: (list: string[]) => byIds(RESTORE, 'membersRestore', list, 'Access restored'),
        revoke: (list: string[]) =>
          ask({
            title: `Revoke access for ${count(list.length)}?`,
            message: `${count(list.length)} lose access to the organization at once. You can restore it later.`,
            confirmLabel: 'Revoke access',
            danger: true,
            onConfirm: () => byIds(REVOKE, 'membersRevoke', list, 'Access revoked'),
          }),
        remove: (list: string[]) =>
          ask({
            title: `Remove ${count(list.length)}?`,
            message: `${count(list.length)} are removed from the organization and its groups. The audit trail keeps what happened.`,
            confirmLabel: 'Remove',
            danger: true,
            onConfirm: () => byIds(REMOVE, 'membersRemove', list, 'Removed'),
          }),
      },
    };
  };

  return {
    many,
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
