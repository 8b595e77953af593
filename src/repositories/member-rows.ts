import { MEMBER_FIELD_LIST } from '../domain/member-fields';
import {
  MEMBER_VIEW_FIELDS,
  type MemberGroupRef,
  type MemberView,
  compileMemberReader,
} from '../read-models/member.view';
import { type Row, jsonOf } from './rows';

const PROFILE_COLUMNS: ReadonlyMap<string, string> = new Map(MEMBER_FIELD_LIST.map((f) => [f.id, f.column]));
/** The column of a read-model field: the profile's from the field table, the others by the entity naming rule. */
const columnOf = (field: string) => PROFILE_COLUMNS.get(field) ?? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A `member` row (alias `m`, MEMBER_VIEW_COLUMNS) as the read model. */
export const memberViewOfRow: (row: Row) => MemberView = compileMemberReader(columnOf);

/**
 * The columns of `member` (alias `m`) that the read model reads, for a select list: what a read transfers and parses
 * is what it renders, and never the invitation token's hash or the confirmation key.
 */
export const MEMBER_VIEW_COLUMNS = MEMBER_VIEW_FIELDS.map((field) => `m.${columnOf(field)}`).join(', ');

/**
 * The member's groups of its own organization as one JSON column (`groups`), by name: with it a SCIM read of
 * members and their groups is one statement. Each group is read by its primary key (the lateral, kept from being
 * flattened by `offset 0`): a member is in a few groups, and a join would rather hash every group of the
 * organization whenever the statistics overestimate a member's memberships.
 */
export const GROUPS_OF_MEMBER_COLUMN = `(select coalesce(json_agg(json_build_object('id', g.id, 'displayName', g.display_name)
    order by lower(g.display_name), g.id), '[]'::json)
    from group_membership gm
    cross join lateral (select g.id, g.display_name from member_group g
                         where g.id = gm.group_id and g.organization_id = m.organization_id offset 0) g
    where gm.member_id = m.id) as groups`;

/** A `member` row with its GROUPS_OF_MEMBER_COLUMN. */
export function memberWithGroupsOfRow(row: Row): { member: MemberView; groups: MemberGroupRef[] } {
  return { member: memberViewOfRow(row), groups: jsonOf<MemberGroupRef[]>(row.groups) };
}
