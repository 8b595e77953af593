import { type GroupSource, type MemberPermissions, type MemberRole, NO_PERMISSIONS } from '../domain/enums';
import { type Group } from '../entities';

/** A group as the transports read it (its members are read separately, in batches). */
export interface GroupView {
  readonly id: string;
  readonly organizationId: string;
  readonly displayName: string;
  readonly externalId: string | null;
  /** Pushed by an identity provider (SCIM) or created here. */
  readonly source: GroupSource;
  /** The role the group's members get when their role comes from groups; null: none. */
  readonly roleMapping: GroupRoleMappingView | null;
  readonly createdAt: Date;
  /** Also moves when the membership changes. */
  readonly updatedAt: Date;
  /** Optimistic-concurrency version (SCIM ETag). */
  readonly version: number;
}

/** A group's role mapping: never OWNER; permissions count only for CUSTOM. */
export interface GroupRoleMappingView {
  readonly role: MemberRole;
  /** All flags, absent ones false. */
  readonly permissions: MemberPermissions;
}

export const roleMappingOf = (
  role: MemberRole | null,
  permissions: Partial<MemberPermissions> | null,
): GroupRoleMappingView | null => (role ? { role, permissions: { ...NO_PERMISSIONS, ...permissions } } : null);

export function groupView(g: Group): GroupView {
  return {
    id: g.id,
    organizationId: g.organization.id,
    displayName: g.displayName,
    externalId: g.externalId,
    source: g.source,
    roleMapping: roleMappingOf(g.mappedRole, g.mappedPermissions),
    createdAt: g.createdAt,
    updatedAt: g.updatedAt,
    version: g.version,
  };
}
