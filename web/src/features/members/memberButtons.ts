import type { Org } from '../../shell/OrgScope';
import type { Member } from './queries';
import type { MemberActions } from './useMemberActions';

export interface MemberButton {
  label: string;
  /** The accessible name: the label and whom it is about ("Revoke access for grace@example.com"). */
  name: string;
  allowed: boolean;
  run: (m: Member) => void;
  primary?: boolean;
}

/** Why a member action is refused (the server's viewerCan says no; the buttons shown follow the member's status). */
export function deniedReason(allowed: boolean, org: Org): string | null {
  if (allowed) return null;
  if (!org.viewerPermissions.manageMembers) return 'You may not manage members in this organization.';
  return "You may not act on this member: their role is above what you may manage, or it's your own membership.";
}

/** The actions a member's status offers, each allowed or not by the server's viewerCan. */
export function memberButtons(m: Member, manageMembers: boolean, actions: MemberActions): MemberButton[] {
  const can = m.viewerCan;
  const who = m.email;
  const byStatus: Partial<Record<Member['status'], MemberButton>> = {
    ACCEPTED: { label: 'Confirm', name: `Confirm ${who}`, allowed: can.confirm, run: actions.confirm, primary: true },
    INVITED: { label: 'Reinvite', name: `Reinvite ${who}`, allowed: can.reinvite, run: actions.reinvite },
    STAGED: {
      label: 'Send invitation',
      name: `Send invitation to ${who}`,
      allowed: manageMembers,
      run: actions.inviteStaged,
    },
  };
  const access =
    m.status === 'REVOKED'
      ? { label: 'Restore access', name: `Restore access for ${who}`, allowed: can.restore, run: actions.restore }
      : { label: 'Revoke access', name: `Revoke access for ${who}`, allowed: can.revoke, run: actions.revoke };
  const own = byStatus[m.status];
  return [
    ...(own ? [own] : []),
    access,
    { label: 'Remove', name: `Remove ${who}`, allowed: can.remove, run: actions.remove },
  ];
}
