import { type EntityManager } from '@mikro-orm/postgresql';
import { type MemberPermissions, MemberRole, NO_PERMISSIONS, PERMISSION_FLAGS, RoleSource } from '../domain/enums';
import { uuidArray } from '../domain/ids';
import { type GroupView } from '../read-models/group.view';
import { type MemberView } from '../read-models/member.view';
import { groupViewOfRow } from './group-rows';
import { AUDIT_EVENT_COLUMNS, type NewAuditEvent, auditActorValues } from './log.repository';
import { memberViewOfRow } from './member-rows';
import { type Row } from './rows';

/** Whose roles a recompute reads: named members, or every member of one group. */
export type RecomputeScope = { memberIds: string[] } | { groupId: string };

/** One member whose role a recompute changed, with the audit data written for it. */
export interface RoleRecomputed {
  memberId: string;
  data: Record<string, unknown>;
}

/** The audit fields shared by every event of one recompute; the target and data come from each changed row. */
export type RecomputeAudit = Omit<NewAuditEvent, 'targetType' | 'targetId' | 'data'> & {
  /** The group whose change caused the recompute (named in each event), or null for a member's own switch. */
  causeGroupId: string | null;
};

// The order of a member's mapped groups: the highest role first (a mapping never gives OWNER), then by name.
const ORDER_SQL = `case g.mapped_role when '${MemberRole.ADMIN}' then 3 when '${MemberRole.CUSTOM}' then 2 else 1 end desc, lower(g.display_name), g.id`;

// The flags of the CUSTOM mappings among a member's groups, each the union (any of them gives it).
const CUSTOM_FLAGS_SQL = PERMISSION_FLAGS.map(
  (f) =>
    `'${f}', coalesce(bool_or((g.mapped_permissions ->> '${f}')::boolean) filter (where g.mapped_role = '${MemberRole.CUSTOM}'), false)`,
).join(', ');

/**
 * Group role mappings and the set-based recompute of the roles that follow them. A recompute is one statement
 * whatever the number of members: it locks them, decides each role from its groups' mappings, updates those that
 * differ and writes one audit event per member whose role or flags changed.
 */
export class GroupRoleRepository {
  constructor(private readonly em: EntityManager) {}

  /** Sets (or with a null role clears) the group's mapping; the group's own version is left alone (not a SCIM change). */
  async setMapping(
    organizationId: string,
    groupId: string,
    role: MemberRole | null,
    permissions: MemberPermissions | null,
  ): Promise<void> {
    await this.em.execute(
      'update member_group set mapped_role = ?, mapped_permissions = ?::jsonb where id = ? and organization_id = ?',
      [role, permissions ? JSON.stringify(permissions) : null, groupId, organizationId],
      'run',
    );
  }

  /** The group as stored now (after this transaction's statements, which the identity map has not seen). */
  async groupAsStored(organizationId: string, groupId: string): Promise<GroupView> {
    const [row] = await this.em.execute<Row[]>('select * from member_group where id = ? and organization_id = ?', [
      groupId,
      organizationId,
    ]);
    return groupViewOfRow(row);
  }

  /** The member as stored now (see groupAsStored). */
  async memberAsStored(organizationId: string, memberId: string): Promise<MemberView> {
    const [row] = await this.em.execute<Row[]>('select * from member where id = ? and organization_id = ?', [
      memberId,
      organizationId,
    ]);
    return memberViewOfRow(row);
  }

  /** The ids of the group's members (for a deletion, read before the membership rows go). */
  async memberIdsOf(groupId: string): Promise<string[]> {
    const rows: { member_id: string }[] = await this.em.execute(
      'select member_id from group_membership where group_id = ?',
      [groupId],
    );
    return rows.map((r) => r.member_id);
  }

  /** Whether the group carries a mapping (a membership change of an unmapped group changes no role). */
  async isMapped(groupId: string): Promise<boolean> {
    const rows: Row[] = await this.em.execute('select 1 from member_group where id = ? and mapped_role is not null', [
      groupId,
    ]);
    return rows.length > 0;
  }

  /**
   * Recomputes the role of the members in `scope` whose role comes from groups (owners excepted): the highest
   * mapped role of their groups (ADMIN > CUSTOM > USER, CUSTOM flags the union of the CUSTOM mappings), USER with
   * none. Returns the members whose role or flags changed, each audited in the same statement.
   */
  async recompute(organizationId: string, scope: RecomputeScope, audit: RecomputeAudit): Promise<RoleRecomputed[]> {
    if ('memberIds' in scope && !scope.memberIds.length) return [];
    const [scopeSql, scopeParam] =
      'memberIds' in scope
        ? ['t.id = any(?::uuid[])', uuidArray(scope.memberIds)]
        : ['t.id in (select member_id from group_membership where group_id = ?)', scope.groupId];
    const none = JSON.stringify(NO_PERMISSIONS);
    // A whole group is recomputed when its mapping changes, often right after the IdP pushed it: with its members
    // not yet analysed the planner believes one row and may re-run the per-member aggregate once per member
    // (quadratic: minutes for 10,000). Hash joins cost one pass over the organization's members whatever the
    // estimates; a handful of members (the memberIds scope) keeps its index plan.
    const wholeGroup = 'groupId' in scope;
    if (wholeGroup) await this.em.execute('set local enable_nestloop = off');
    const rows: { target_id: string; data: unknown }[] = await this.em.execute(
      // One pass over the members and their mapped groups, grouped by member: a plan of joins on indexed keys,
      // whatever the row estimates (CTE-on-CTE joins could turn quadratic on fresh, unanalysed rows).
      `with decided as (
         select t.id, t.email, t.role as role_from, ?::jsonb || t.permissions as permissions_from,
                t.role_granted_by_id as group_from,
                coalesce((array_agg(g.mapped_role order by ${ORDER_SQL}) filter (where g.id is not null))[1],
                         '${MemberRole.USER}') as role_to,
                (array_agg(g.id order by ${ORDER_SQL}) filter (where g.id is not null))[1] as group_id,
                (array_agg(g.display_name order by ${ORDER_SQL}) filter (where g.id is not null))[1] as display_name,
                jsonb_build_object(${CUSTOM_FLAGS_SQL}) as custom_permissions
           from member t
           left join group_membership gm on gm.member_id = t.id
           left join member_group g on g.id = gm.group_id and g.organization_id = t.organization_id
                and g.mapped_role in ('${MemberRole.ADMIN}', '${MemberRole.CUSTOM}', '${MemberRole.USER}')
          where t.organization_id = ? and t.role_source = '${RoleSource.GROUPS}' and t.role <> '${MemberRole.OWNER}'
            and ${scopeSql}
          group by t.id
       ), final as (
         select d.*, case when d.role_to = '${MemberRole.CUSTOM}' then d.custom_permissions else ?::jsonb end
                     as permissions_to
           from decided d
       ), changed as (
         update member m
            set role = d.role_to, permissions = d.permissions_to, role_granted_by_id = d.group_id,
                version = m.version + 1, updated_at = now()
           from final d
          where m.id = d.id
            and (d.role_from <> d.role_to or d.permissions_from <> d.permissions_to
                 or d.group_from is distinct from d.group_id)
         -- Only what the audit needs: the member rows are wide, and keeping them spills to disk.
         returning d.id, d.email, d.role_from, d.role_to, d.permissions_from, d.permissions_to, d.group_id,
                   d.display_name
       ), audited as (
         insert into audit_event (${AUDIT_EVENT_COLUMNS})
         select gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, 'member', c.id,
                jsonb_strip_nulls(jsonb_build_object(
                  'email', c.email,
                  'roleFrom', case when c.role_from <> c.role_to then c.role_from end,
                  'roleTo', case when c.role_from <> c.role_to then c.role_to end,
                  'permissionsFrom', case when c.permissions_from <> c.permissions_to then c.permissions_from end,
                  'permissionsTo', case when c.permissions_from <> c.permissions_to then c.permissions_to end,
                  'roleSource', '${RoleSource.GROUPS}',
                  'groupId', c.group_id,
                  'groupName', c.display_name,
                  'changedGroupId', ?::uuid)),
                ?, ?, ?
           from changed c
          where c.role_from <> c.role_to or c.permissions_from <> c.permissions_to
         returning target_id, data
       )
       select target_id, data from audited`,
      [
        none,
        organizationId,
        scopeParam,
        none,
        organizationId,
        audit.type,
        ...auditActorValues(audit),
        audit.causeGroupId,
        audit.requestId,
        audit.clientRequestId,
        audit.occurredAt,
      ],
    );
    if (wholeGroup) await this.em.execute('set local enable_nestloop = on');
    return rows.map((r) => ({
      memberId: r.target_id,
      data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    }));
  }
}
