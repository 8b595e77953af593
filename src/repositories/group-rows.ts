import { type GroupSource, type MemberPermissions, type MemberRole } from '../domain/enums';
import { type GroupView, roleMappingOf } from '../read-models/group.view';
import { type Row, dateOf, jsonOf, text } from './rows';

/** A `member_group` row (all columns) as the read model. */
export function groupViewOfRow(row: Row): GroupView {
  return {
    id: row.id as string,
    organizationId: row.organization_id as string,
    displayName: row.display_name as string,
    externalId: text(row.external_id),
    source: row.source as GroupSource,
    roleMapping: roleMappingOf(
      (row.mapped_role ?? null) as MemberRole | null,
      jsonOf<Partial<MemberPermissions> | null>(row.mapped_permissions) ?? null,
    ),
    createdAt: dateOf(row.created_at),
    updatedAt: dateOf(row.updated_at),
    version: Number(row.version),
  };
}
