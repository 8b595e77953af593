import {
  type MemberPermissions,
  MemberRole,
  MemberStatus,
  NO_PERMISSIONS,
  OWNER_ONLY_FLAGS,
  PERMISSION_FLAGS,
} from './enums';
import { forbidden } from './errors';
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
  /** Enable and disable SCIM and rotate its key: what lets an IdP manage owners, so owner-level. */
  manageScimKeys: boolean;
  viewEvents: boolean;
  /** The webhook endpoints: their URLs, secrets and deliveries. */
  manageWebhooks: boolean;
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
  manageScimKeys: false,
  viewEvents: false,
  manageWebhooks: false,
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
      return { ...ALL_CAPABILITIES, manageOwners: false, manageScimKeys: false };
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
        manageScimKeys: p.manageScimKeys === true,
        viewEvents: p.accessEventLogs,
        // Stored before the flag existed: absent means off.
        manageWebhooks: p.manageWebhooks === true,
      };
    }
    case MemberRole.USER:
      return { ...none, viewOrganization: true };
  }
}

/**
 * Whether a viewer sees a member's profile (userName, externalId, title, phone numbers, enterprise attributes, the
 * revocation reason) and not only who it is (id, e-mail, name, status): whoever views members (manageUsers), and
 * everyone for its own membership. A group manager without manageUsers lists a group's members by identity only.
 */
export function seesMemberProfile(
  capabilities: Capabilities,
  viewerMemberId: string | null,
  memberId: string,
): boolean {
  return capabilities.viewMembers || viewerMemberId === memberId;
}

/** FORBIDDEN unless `capabilities` hold `capability`; the message names the right in words. */
export function assertCapability(capabilities: Capabilities, capability: keyof Capabilities): void {
  if (!capabilities[capability]) {
    const words = capability.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
    throw forbidden(`not allowed to ${words} in this organization`);
  }
}

/**
 * Who acts, as the grant rules see it. An operator (CLI, system) holds everything. The SCIM connection acts on
 * every member (an IdP deprovisions an owner who left) but gives no role beyond USER and no flag: SCIM carries
 * no roles. A member acts with its own role and flags.
 */
export type Authority =
  | { kind: 'OPERATOR' }
  | { kind: 'SCIM' }
  | { kind: 'MEMBER'; memberId: string; role: MemberRole; permissions: MemberPermissions }
  | { kind: 'NONE' };

export function authorityOf(
  actorKind: 'USER' | 'SCIM' | 'CLI' | 'SYSTEM',
  membership: (MembershipView & { id: string }) | null,
): Authority {
  if (actorKind === 'CLI' || actorKind === 'SYSTEM') return { kind: 'OPERATOR' };
  if (actorKind === 'SCIM') return { kind: 'SCIM' };
  if (!membership || membership.status !== MemberStatus.CONFIRMED) return { kind: 'NONE' };
  return {
    kind: 'MEMBER',
    memberId: membership.id,
    role: membership.role,
    permissions: { ...NO_PERMISSIONS, ...membership.permissions },
  };
}

/**
 * The roles a member's own role reaches, both to act on and to give: OWNER all, ADMIN all but OWNER, CUSTOM only
 * CUSTOM and USER, USER none.
 */
function reaches(callerRole: MemberRole, role: MemberRole): boolean {
  switch (callerRole) {
    case MemberRole.OWNER:
      return true;
    case MemberRole.ADMIN:
      return role !== MemberRole.OWNER;
    case MemberRole.CUSTOM:
      return role === MemberRole.USER || role === MemberRole.CUSTOM;
    case MemberRole.USER:
      return false;
  }
}

/** Authority over a member's current role (whatever its status): ADMIN not over OWNER, CUSTOM not over OWNER or ADMIN. */
export function mayActOn(a: Authority, targetRole: MemberRole): boolean {
  switch (a.kind) {
    case 'OPERATOR':
    case 'SCIM':
      return true;
    case 'NONE':
      return false;
    case 'MEMBER':
      return reaches(a.role, targetRole);
  }
}

/** Whether the actor holds the capabilities of `role` and so may give it. */
export function mayGiveRole(a: Authority, role: MemberRole): boolean {
  switch (a.kind) {
    case 'OPERATOR':
      return true;
    case 'SCIM':
      return role === MemberRole.USER;
    case 'NONE':
      return false;
    case 'MEMBER':
      return reaches(a.role, role);
  }
}

/** OWNER: every flag; ADMIN: every flag but the owner-only ones; CUSTOM: the flags it holds, but no owner-only one. */
export function mayGiveFlag(a: Authority, flag: keyof MemberPermissions): boolean {
  switch (a.kind) {
    case 'OPERATOR':
      return true;
    case 'SCIM':
    case 'NONE':
      return false;
    case 'MEMBER':
      if (a.role === MemberRole.OWNER) return true;
      if (OWNER_ONLY_FLAGS.includes(flag)) return false;
      if (a.role === MemberRole.ADMIN) return true;
      return a.role === MemberRole.CUSTOM && a.permissions[flag] === true;
  }
}

/**
 * The flags a change gives: those on after it that were off before, and all of them when the member becomes
 * CUSTOM (flags stored on another role have no effect until then).
 */
export function flagsGiven(
  before: { role: MemberRole; permissions: MemberPermissions } | null,
  after: { role: MemberRole; permissions: MemberPermissions },
): (keyof MemberPermissions)[] {
  const becomesCustom = after.role === MemberRole.CUSTOM && before?.role !== MemberRole.CUSTOM;
  return PERMISSION_FLAGS.filter(
    (f) => after.permissions[f] === true && (!before || becomesCustom || before.permissions[f] !== true),
  );
}

/**
 * Why `a` may not make `target` (null: a new invitation) have `next` role and flags, or null when it may:
 * nobody changes their own role or flags, acting needs authority over the member's current role, and nobody
 * gives a role or flag it does not hold.
 */
export function grantRefusal(
  a: Authority,
  target: { id: string; role: MemberRole; permissions: MemberPermissions } | null,
  next: { role: MemberRole; permissions: MemberPermissions },
): string | null {
  const roleChanges = !target || target.role !== next.role;
  const flagsChange =
    !target || PERMISSION_FLAGS.some((f) => (target.permissions[f] === true) !== (next.permissions[f] === true));
  if (target && !roleChanges && !flagsChange) return null;
  if (target && a.kind === 'MEMBER' && a.memberId === target.id)
    return 'nobody changes their own role or permission flags';
  if (target && !mayActOn(a, target.role)) return `not allowed to manage a member whose role is ${target.role}`;
  if (roleChanges && !mayGiveRole(a, next.role)) return `not allowed to give the ${next.role} role`;
  const refused = flagsGiven(target, next).filter((f) => !mayGiveFlag(a, f));
  if (refused.length) return `not allowed to give the permission flags ${refused.join(', ')}`;
  return null;
}

/** What the viewer may do to one member (GraphQL `Member.viewerCan`), from its capabilities and the member's state. */
export interface MemberActions {
  update: boolean;
  changeRole: boolean;
  changePermissions: boolean;
  /** The roles the viewer may change this member to (its current role excluded). */
  grantableRoles: MemberRole[];
  /** Every role, with whether the viewer may change this member to it and why not (its current role: allowed). */
  roleOptions: RoleOption[];
  /** The flags the viewer may give this member (turn on, or keep on when it holds them already). */
  grantablePermissions: MemberPermissions;
  confirm: boolean;
  reinvite: boolean;
  revoke: boolean;
  restore: boolean;
  remove: boolean;
  manageGroups: boolean;
}

/** The organization's row counts that the write-time guards check: last confirmed owner, free seats. */
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

const ROLES: readonly MemberRole[] = [MemberRole.OWNER, MemberRole.ADMIN, MemberRole.CUSTOM, MemberRole.USER];

/**
 * What the viewer may do to the member: the same rules the services apply (capability, authority over the
 * member's role, no change of one's own role or flags, only grants the viewer holds). With `guards`, the actions
 * the services would refuse at write time (LAST_OWNER, SEAT_LIMIT) read as false too; the services still check,
 * under the organization lock.
 */
export function memberActionsOf(
  c: Capabilities,
  a: Authority,
  target: {
    id: string;
    role: MemberRole;
    status: MemberStatus;
    priorStatus?: MemberStatus | null;
    permissions?: MemberPermissions;
  },
  guards?: OrganizationGuards,
): MemberActions {
  const act = c.manageMembers && mayActOn(a, target.role);
  const self = a.kind === 'MEMBER' && a.memberId === target.id;
  const lastOwner = guards !== undefined && isConfirmedOwner(target) && guards.confirmedOwners <= 1;
  const noSeat = guards !== undefined && !guards.seatFree && occupiesSeat(target.priorStatus ?? MemberStatus.INVITED);
  const grants = act && !self;
  const current = { id: target.id, role: target.role, permissions: { ...NO_PERMISSIONS, ...target.permissions } };
  // Asked of grantRefusal itself, so these answers cannot drift from what the services decide.
  const grantableRoles =
    grants && !lastOwner
      ? ROLES.filter(
          (r) => r !== target.role && grantRefusal(a, current, { role: r, permissions: current.permissions }) === null,
        )
      : [];
  const roleOptions = ROLES.map((role): RoleOption => {
    if (role === target.role) return { role, allowed: true, reason: null };
    const reason = !c.manageMembers
      ? 'not allowed to manage members in this organization'
      : lastOwner
        ? 'cannot demote the last confirmed owner of the organization'
        : grantRefusal(a, current, { role, permissions: current.permissions });
    return { role, allowed: reason === null, reason };
  });
  const grantablePermissions = Object.fromEntries(
    PERMISSION_FLAGS.map((f) => {
      const without = { ...current, permissions: { ...current.permissions, [f]: false } };
      return [
        f,
        grants &&
          grantRefusal(a, without, { role: current.role, permissions: { ...current.permissions, [f]: true } }) === null,
      ];
    }),
  ) as unknown as MemberPermissions;
  return {
    update: act,
    changeRole: grantableRoles.length > 0,
    changePermissions: grants,
    grantableRoles,
    roleOptions,
    grantablePermissions,
    confirm: act && target.status === MemberStatus.ACCEPTED,
    reinvite: act && target.status === MemberStatus.INVITED,
    revoke: act && target.status !== MemberStatus.REVOKED && !lastOwner,
    restore: act && target.status === MemberStatus.REVOKED && !noSeat,
    remove: act && !lastOwner,
    manageGroups: c.manageGroups,
  };
}

/** One role as an option of a role picker: whether the viewer may give it, and why not. */
export interface RoleOption {
  role: MemberRole;
  allowed: boolean;
  /** Why the viewer may not give it (the words the refusing mutation uses); null when allowed. */
  reason: string | null;
}

/**
 * The roles the viewer may give a new member (an invitation) in this organization, each with the reason it may
 * not: asked of grantRefusal, the rule membersInvite and memberUpdate apply, so a picker never offers what they
 * refuse. The flags of CUSTOM are separate options (MemberActions.grantablePermissions, mayGiveFlag).
 */
export function roleOptionsOf(c: Capabilities, a: Authority): RoleOption[] {
  return ROLES.map((role) => {
    const reason = c.manageMembers
      ? grantRefusal(a, null, { role, permissions: { ...NO_PERMISSIONS } })
      : 'not allowed to manage members in this organization';
    return { role, allowed: reason === null, reason };
  });
}
