import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { MEMBERS_INVITE } from './InviteMembers';
import type { Org } from '../../shell/OrgScope';
import { useConfirm } from '../../ui/Confirm';
import { roleLabel } from '../../format';
import type { MemberRole, RoleSource } from '../../gql/graphql';
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

const messages = (errors: { message: string }[]) => errors.map((u) => u.message).join(' ');

/**
 * What the Members page does to members: each action's failures shown in the member's row, a notice for what
 * succeeded, and the list refreshed after every change.
 */
export function useMemberActions(org: Org, refetch: () => Promise<unknown>) {
  const apollo = useApolloClient();
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const { ask, dialog } = useConfirm();

  /** Runs a bulk mutation, shows each member's userErrors in its row, refreshes the list. */
  const run = async (ids: string[], mutate: () => Promise<BulkPayload | undefined>, done: string) => {
    setNotice(null);
    setRowErrors((e) => Object.fromEntries(Object.entries(e).filter(([id]) => !ids.includes(id))));
    try {
      const payload = await mutate();
      const failed: Record<string, string> = {};
      for (const r of payload?.results ?? []) if (r.userErrors.length) failed[r.memberId] = messages(r.userErrors);
      if (!payload?.results.length && payload?.userErrors.length)
        for (const id of ids) failed[id] = messages(payload.userErrors);
      setRowErrors((e) => ({ ...e, ...failed }));
      const succeeded = ids.length - Object.keys(failed).length;
      if (succeeded > 0) setNotice(`${done}: ${succeeded} member${succeeded === 1 ? '' : 's'}.`);
    } catch (err) {
      for (const id of ids) setRowErrors((e) => ({ ...e, [id]: err instanceof Error ? err.message : String(err) }));
    }
    await refetch();
  };

  /** One member through a mutation that takes member ids and answers in `field`. */
  const byId = (mutation: ByIdsMutation, field: string, m: Member, done: string) =>
    run(
      [m.id],
      async () => {
        const r = await apollo.mutate({
          mutation,
          variables: { input: { organizationId: org.id, memberIds: [m.id] } },
        });
        return r.data?.[field];
      },
      done,
    );

  const confirm = (ids: string[]) =>
    run(
      ids,
      async () =>
        (
          await apollo.mutate({
            mutation: CONFIRM,
            variables: { input: { organizationId: org.id, members: ids.map((memberId) => ({ memberId })) } },
          })
        ).data?.membersConfirm,
      'Confirmed',
    );

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
      onConfirm: () => byId(REVOKE, 'membersRevoke', m, 'Access revoked'),
    });

  const remove = (m: Member) =>
    ask({
      title: 'Remove member',
      message: `${m.email} is removed from the organization and its groups. The audit trail keeps what happened.`,
      confirmLabel: 'Remove',
      danger: true,
      onConfirm: () => byId(REMOVE, 'membersRemove', m, 'Removed'),
    });

  // A STAGED member (provisioned without an e-mail) is invited by address, keeping its role.
  const inviteStaged = (m: Member) =>
    run(
      [m.id],
      async () => {
        const p = (
          await apollo.mutate({
            mutation: MEMBERS_INVITE,
            variables: { input: { organizationId: org.id, emails: [m.email], role: m.role } },
          })
        ).data?.membersInvite;
        return (
          p && {
            results: p.results.map((r) => ({ memberId: m.id, userErrors: r.userErrors })),
            userErrors: p.userErrors,
          }
        );
      },
      'Invited',
    );

  const changeRole = async (m: Member, next: string | null) => {
    if (!next || next === m.role) return;
    setRowErrors(({ [m.id]: _, ...rest }) => rest);
    const r = await apollo
      .mutate({
        mutation: UPDATE_ROLE,
        variables: { input: { organizationId: org.id, memberId: m.id, role: next as MemberRole } },
      })
      .catch((err: Error) => ({ data: undefined, error: err }));
    const errors = r.data?.memberUpdate.userErrors ?? [];
    if (errors.length || !r.data)
      setRowErrors((e) => ({ ...e, [m.id]: messages(errors) || 'The role could not be changed.' }));
    else setNotice(`${m.email} is now ${roleLabel(next)}.`);
    await refetch();
  };

  const setRoleSource = async (m: Member, roleSource: RoleSource) => {
    setRowErrors(({ [m.id]: _, ...rest }) => rest);
    const r = await apollo
      .mutate({
        mutation: SET_ROLE_SOURCE,
        variables: { input: { organizationId: org.id, memberId: m.id, roleSource } },
      })
      .catch((err: Error) => ({ data: undefined, error: err }));
    const errors = r.data?.memberRoleSourceSet.userErrors ?? [];
    if (errors.length || !r.data)
      setRowErrors((e) => ({ ...e, [m.id]: messages(errors) || 'The role could not be changed.' }));
    else
      setNotice(
        roleSource === 'GROUPS'
          ? `${m.email}'s role now comes from their groups.`
          : `${m.email}'s role is now set by hand.`,
      );
    await refetch();
  };

  return {
    rowErrors,
    notice,
    dismissNotice: () => setNotice(null),
    dialog,
    confirm: (m: Member) => void confirm([m.id]),
    confirmAll: () => void confirmAll(),
    revoke,
    restore: (m: Member) => void byId(RESTORE, 'membersRestore', m, 'Access restored'),
    reinvite: (m: Member) => void byId(REINVITE, 'membersReinvite', m, 'Invitation sent again'),
    inviteStaged: (m: Member) => void inviteStaged(m),
    remove,
    changeRole: (m: Member, role: string | null) => void changeRole(m, role),
    setRoleSource: (m: Member, roleSource: RoleSource) => void setRoleSource(m, roleSource),
  };
}

export type MemberActions = ReturnType<typeof useMemberActions>;
