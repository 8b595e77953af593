import { useState } from 'react';
import type { Org } from '../../shell/OrgScope';
import { useConfirm } from '../../ui/Confirm';
import { useMutationAction } from '../../ui/useMutationAction';
import { roleLabel } from '../../format';
import type { MemberRole, RoleSource } from '../../gql/graphql';
import { type Member, SET_ROLE_SOURCE, UPDATE_ROLE } from './queries';
import { roleChangeConsequence } from './roles';
import { useBulkDialog } from './useBulkDialog';

/**
 * What the Members page does to members: each action's failures shown in the member's row, a notice for what
 * succeeded, and the list refreshed after every change.
 */
export function useMemberActions(org: Org, refetch: () => Promise<unknown>) {
  const action = useMutationAction(refetch);
  const [notice, setNotice] = useState<string | null>(null);
  const { ask, dialog } = useConfirm();

  const bulk = useBulkDialog(org, action, setNotice);

  const confirmAll = async () => {
    const list = await bulk.idsMatching({ statuses: ['ACCEPTED'] });
    if (list?.ids.length) bulk.open('confirm', list.ids);
    else setNotice('No accepted member waits for confirmation.');
  };

  /** Shows `done` when a change about one member went through. */
  const noticeIfOk = async (outcome: Promise<{ ok: boolean }>, done: string) => {
    setNotice(null);
    if ((await outcome).ok) setNotice(done);
  };

  const changeRole = (m: Member, next: string | null) => {
    if (!next || next === m.role) return;
    const input = { organizationId: org.id, memberId: m.id, role: next as MemberRole };
    const apply = () =>
      noticeIfOk(
        action.run(UPDATE_ROLE, { input }, (d) => d.memberUpdate, { rows: [m.id] }),
        `${m.email} is now ${roleLabel(next)}.`,
      );
    // Giving or taking owner or admin powers, or a role the identity provider may set back, is asked first.
    const managed = m.managedBy ? `${m.managedBy} manages ${m.email}: its next sync may set the role back.` : null;
    const consequence = [roleChangeConsequence(m.email, m.role, next), managed].filter(Boolean).join(' ');
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

  /** Several members at once: those of `members` the change fits (status and viewerCan). */
  const many = (members: readonly Member[]) => {
    const ids = (fits: (m: Member) => boolean) => members.filter(fits).map((m) => m.id);
    return {
      confirm: ids((m) => m.status === 'ACCEPTED' && m.viewerCan.confirm),
      reinvite: ids((m) => m.status === 'INVITED' && m.viewerCan.reinvite),
      sendInvitation: ids((m) => m.status === 'STAGED' && org.viewerPermissions.manageMembers),
      revoke: ids((m) => m.status !== 'REVOKED' && m.viewerCan.revoke),
      restore: ids((m) => m.status === 'REVOKED' && m.viewerCan.restore),
      remove: ids((m) => m.viewerCan.remove),
      addToGroup: ids((m) => m.viewerCan.manageGroups),
      changeRole: ids((m) => m.viewerCan.changeRole && m.roleSource !== 'GROUPS'),
    };
  };

  return {
    many,
    bulk,
    rowErrors: action.rowErrors,
    notice,
    dismissNotice: () => setNotice(null),
    dialog,
    confirm: (m: Member) => void bulk.runOne('confirm', m),
    confirmAll: () => void confirmAll(),
    revoke: (m: Member) => bulk.open('revoke', [m.id], [m]),
    restore: (m: Member) => void bulk.runOne('restore', m),
    reinvite: (m: Member) => void bulk.runOne('reinvite', m),
    // A STAGED member (provisioned without an e-mail) gets its invitation, keeping its role.
    inviteStaged: (m: Member) => void bulk.runOne('sendInvitation', m),
    remove: (m: Member) => bulk.open('remove', [m.id], [m]),
    changeRole: (m: Member, role: string | null) => void changeRole(m, role),
    setRoleSource: (m: Member, roleSource: RoleSource) => void setRoleSource(m, roleSource),
  };
}

export type MemberActions = ReturnType<typeof useMemberActions>;
