import { MemberPermissions, MemberRole, MemberStatus } from './enums';
import { isConfirmedOwner, occupiesSeat } from './member-rules';

/** What an actor may do inside one organization. Both transports ask this module, nothing else. */
export interface Capabilities {
  viewOrganization: boolean;
  updateOrganization: boolean;
  viewMembers: boolean;
  manageMembers: boolean;
  manageOwners: boolean;
  viewGroups: boolean;
  manageGroups: boolean;
  manageScim: boolean;
  viewEvents: boolean;
}

export interface MembershipView {
  role: MemberRole;
  status: MemberStatus;
  permissions: MemberPermissions;
}

const none: Capabilities = {
  viewOrganization: false,
  updateOrganization: false,
  viewMembers: false,
  manageMembers: false,
  manageOwners: false,
  viewGroups: false,
  manageGroups: false,
  manageScim: false,
  viewEvents: false,
};

export const ALL_CAPABILITIES: Capabilities = Object.fromEntries(
  Object.keys(none).map((k) => [k, true]),
) as unknown as Capabilities;

/** A SCIM connection provisions members and groups of its own organization, nothing else. */
export const SCIM_CAPABILITIES: Capabilities = {
  ...none,
  viewOrganization: true,
  viewMembers: true,
  manageMembers: true,
  manageOwners: true,
  viewGroups: true,
  manageGroups: true,
};

export function capabilitiesOf(membership: MembershipView | null): Capabilities {
  // Only a CONFIRMED member acts in an organization; invitations and revoked members see nothing.
  if (!membership || membership.status !== MemberStatus.CONFIRMED) return none;
  switch (membership.role) {
    case MemberRole.OWNER:
      return ALL_CAPABILITIES;
    case MemberRole.ADMIN:
      return { ...ALL_CAPABILITIES, manageOwners: false };
    case MemberRole.CUSTOM: {
      const p = membership.permissions;
      return {
        ...none,
        viewOrganization: true,
        viewMembers: p.manageUsers,
        manageMembers: p.manageUsers,
        viewGroups: p.manageGroups || p.manageUsers,
        manageGroups: p.manageGroups,
        manageScim: p.manageScim,
        viewEvents: p.accessEventLogs,
      };
    }
    case MemberRole.USER:
      return { ...none, viewOrganization: true };
  }
}

/** What the viewer may do to one member (GraphQL `Member.viewerCan`), from its capabilities and the member's state. */
export interface MemberActions {
  update: boolean;
  changeRole: boolean;
  confirm: boolean;
  reinvite: boolean;
  revoke: boolean;
  restore: boolean;
  remove: boolean;
  manageGroups: boolean;
}

/** The organization's row counts that the write-time guards check (DESIGN §3): last confirmed owner, free seats. */
export interface OrganizationGuards {
  confirmedOwners: number;
  seatFree: boolean;
}

/**
 * Whether `memberActionsOf` needs the organization's counts for this target: only a confirmed owner (the last one
 * cannot leave) and a revoked member (restoring takes a seat) do, so most rows of a page cost no query.
 */
export const needsGuards = (target: { role: MemberRole; status: MemberStatus }): boolean =>
  isConfirmedOwner(target) || target.status === MemberStatus.REVOKED;

/**
 * What the viewer may do to the member. With `guards`, the actions the services would refuse at write time
 * (LAST_OWNER, SEAT_LIMIT) read as false too; the services still check, under the organization lock.
 */
export function memberActionsOf(
  c: Capabilities,
  target: { role: MemberRole; status: MemberStatus; priorStatus?: MemberStatus | null },
  guards?: OrganizationGuards,
): MemberActions {
  const isOwner = target.role === MemberRole.OWNER;
  // Only a CONFIRMED owner is protected from admins (an invitation to become owner is not yet an owner).
  const lifecycle = c.manageMembers && (!(isOwner && target.status === MemberStatus.CONFIRMED) || c.manageOwners);
  const lastOwner = guards !== undefined && isConfirmedOwner(target) && guards.confirmedOwners <= 1;
  const noSeat = guards !== undefined && !guards.seatFree && occupiesSeat(target.priorStatus ?? MemberStatus.INVITED);
  return {
    update: c.manageMembers,
    changeRole: c.manageMembers && (!isOwner || c.manageOwners) && !lastOwner,
    confirm: lifecycle && target.status === MemberStatus.ACCEPTED,
    reinvite: lifecycle && target.status === MemberStatus.INVITED,
    revoke: lifecycle && target.status !== MemberStatus.REVOKED && !lastOwner,
    restore: lifecycle && target.status === MemberStatus.REVOKED && !noSeat,
    remove: lifecycle && !lastOwner,
    manageGroups: c.manageGroups,
  };
}
