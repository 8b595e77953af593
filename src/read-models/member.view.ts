import {
  type MemberPermissions,
  type MemberRole,
  type MemberSource,
  type MemberStatus,
  type RoleSource,
} from '../domain/enums';
import { NO_PERMISSIONS } from '../domain/enums';
import { type Member } from '../entities';

/** One address of the SCIM `emails` list, as the identity provider sent it. */
export interface MemberEmailView {
  readonly value: string;
  readonly type?: string;
  readonly primary?: boolean;
}

/** One entry of the SCIM `phoneNumbers` list: the same shape as an e-mail entry. */
export type MemberPhoneNumberView = MemberEmailView;

/** A group a member is in, as a member's own rendering names it (SCIM User.groups). */
export interface MemberGroupRef {
  readonly id: string;
  readonly displayName: string;
}

/**
 * A member as the transports read it: every field GraphQL and SCIM render, relations as plain ids. Never the
 * invitation token's hash. Field names are the entity's, so a keyset cursor reads the same from either.
 */
export interface MemberView {
  readonly id: string;
  readonly organizationId: string;
  /** The account linked when the invitation was accepted; null before. */
  readonly userId: string | null;
  readonly email: string;
  readonly userName: string;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly formattedName: string | null;
  readonly displayName: string | null;
  readonly externalId: string | null;
  readonly emails: MemberEmailView[] | null;
  readonly title: string | null;
  /** SCIM `phoneNumbers`, as the identity provider sent them. */
  readonly phoneNumbers: MemberPhoneNumberView[] | null;
  readonly employeeNumber: string | null;
  readonly department: string | null;
  readonly costCenter: string | null;
  /** Enterprise `organization` (the member's own organization name in the directory, not ours). */
  readonly enterpriseOrganization: string | null;
  readonly manager: string | null;
  readonly role: MemberRole;
  /** All flags, absent ones false. */
  readonly permissions: MemberPermissions;
  /** Set by hand, or from the member's groups' role mappings. */
  readonly roleSource: RoleSource;
  /** The group whose mapping decided the role; null when set by hand or the default. */
  readonly roleGrantedById: string | null;
  readonly status: MemberStatus;
  /** The status a restore returns to. */
  readonly priorStatus: MemberStatus | null;
  readonly revocationReason: string | null;
  /** "Keep revoked": when and by whom; an identity provider's `active: true` leaves the member REVOKED. */
  readonly revocationHeldAt: Date | null;
  readonly revocationHeldBy: string | null;
  readonly source: MemberSource;
  readonly invitationExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Optimistic-concurrency version (SCIM ETag). */
  readonly version: number;
}

export function memberView(m: Member): MemberView {
  return {
    id: m.id,
    organizationId: m.organization.id,
    userId: m.user?.id ?? null,
    email: m.email,
    userName: m.userName,
    givenName: m.givenName,
    familyName: m.familyName,
    formattedName: m.formattedName,
    displayName: m.displayName,
    externalId: m.externalId,
    emails: m.emails,
    title: m.title,
    phoneNumbers: m.phoneNumbers,
    employeeNumber: m.employeeNumber,
    department: m.department,
    costCenter: m.costCenter,
    enterpriseOrganization: m.enterpriseOrganization,
    manager: m.manager,
    role: m.role,
    permissions: { ...NO_PERMISSIONS, ...m.permissions },
    roleSource: m.roleSource,
    roleGrantedById: m.roleGrantedById,
    status: m.status,
    priorStatus: m.priorStatus,
    revocationReason: m.revocationReason,
    revocationHeldAt: m.revocationHeldAt,
    revocationHeldBy: m.revocationHeldBy,
    source: m.source,
    invitationExpiresAt: m.invitationExpiresAt,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    version: m.version,
  };
}
