import {
  type MemberPermissions,
  type MemberRole,
  type MemberSource,
  type MemberStatus,
  type RoleSource,
} from '../domain/enums';
import { NO_PERMISSIONS } from '../domain/enums';
import { type MemberGroupRef, type MemberView } from '../read-models/member.view';
import { type Row, dateOf, jsonOf, nullableDateOf, text } from './rows';

/** A `member` row (alias `m`, all columns) as the read model. Never the invitation token's hash. */
export function memberViewOfRow(row: Row): MemberView {
  return {
    id: row.id as string,
    organizationId: row.organization_id as string,
    userId: text(row.user_id),
    email: row.email as string,
    userName: row.user_name as string,
    givenName: text(row.given_name),
    familyName: text(row.family_name),
    formattedName: text(row.formatted_name),
    displayName: text(row.display_name),
    externalId: text(row.external_id),
    emails: jsonOf(row.emails) ?? null,
    title: text(row.title),
    phoneNumbers: jsonOf(row.phone_numbers) ?? null,
    employeeNumber: text(row.employee_number),
    department: text(row.department),
    costCenter: text(row.cost_center),
    enterpriseOrganization: text(row.enterprise_organization),
    manager: text(row.manager),
    role: row.role as MemberRole,
    permissions: { ...NO_PERMISSIONS, ...jsonOf<Partial<MemberPermissions> | null>(row.permissions) },
    roleSource: row.role_source as RoleSource,
    roleGrantedById: text(row.role_granted_by_id),
    status: row.status as MemberStatus,
    priorStatus: (row.prior_status ?? null) as MemberStatus | null,
    revocationReason: text(row.revocation_reason),
    revocationHeldAt: nullableDateOf(row.revocation_held_at),
    revocationHeldBy: text(row.revocation_held_by),
    source: row.source as MemberSource,
    invitationExpiresAt: nullableDateOf(row.invitation_expires_at),
    createdAt: dateOf(row.created_at),
    updatedAt: dateOf(row.updated_at),
    version: Number(row.version),
  };
}

/**
 * The member's groups of its own organization as one JSON column (`groups`), by name: with it a SCIM read of
 * members and their groups is one statement.
 */
export const GROUPS_OF_MEMBER_COLUMN = `(select coalesce(json_agg(json_build_object('id', g.id, 'displayName', g.display_name)
    order by lower(g.display_name), g.id), '[]'::json)
    from group_membership gm join member_group g on g.id = gm.group_id
    where gm.member_id = m.id and g.organization_id = m.organization_id) as groups`;

/** A `member` row with its GROUPS_OF_MEMBER_COLUMN. */
export function memberWithGroupsOfRow(row: Row): { member: MemberView; groups: MemberGroupRef[] } {
  return { member: memberViewOfRow(row), groups: jsonOf<MemberGroupRef[]>(row.groups) };
}
