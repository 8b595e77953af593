import { type EntityManager } from '@mikro-orm/postgresql';
import { type MemberPermissions, MemberRole, NO_PERMISSIONS, RoleSource } from '../domain/enums';
import { uuidArray } from '../domain/ids';
import { type GroupView } from '../services/views/group.view';
import { type MemberView } from '../services/views/member.view';
import { groupViewOfRow } from './group-rows';
import { type NewAuditEvent } from './log.repository';
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

// The order of mapped roles: the highest wins (a mapping never gives OWNER).
const RANK_SQL = `case g.mapped_role when '${MemberRole.ADMIN}' then 3 when '${MemberRole.CUSTOM}' then 2 else 1 end`;

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
        ? ['m.id = any(?::uuid[])', uuidArray(scope.memberIds)]
        : ['m.id in (select member_id from group_membership where group_id = ?)', scope.groupId];
    const none = JSON.stringify(NO_PERMISSIONS);
    const rows: { target_id: string; data: unknown }[] = await this.em.execute(
      `with target as (
         select m.id, m.email, m.role, ?::jsonb || m.permissions as permissions, m.role_granted_by_id
           from member m
          where m.organization_id = ? and m.role_source = '${RoleSource.GROUPS}' and m.role <> '${MemberRole.OWNER}'
            and ${scopeSql}
          order by m.id
            for no key update
       ), mapped as (
         select gm.member_id, g.id as group_id, g.display_name, g.mapped_role, g.mapped_permissions,
                ${RANK_SQL} as rank
           from group_membership gm join member_group g on g.id = gm.group_id
          where gm.member_id in (select id from target) and g.organization_id = ?
            and g.mapped_role in ('${MemberRole.ADMIN}', '${MemberRole.CUSTOM}', '${MemberRole.USER}')
       ), best as (
         select distinct on (member_id) member_id, group_id, display_name, mapped_role
           from mapped order by member_id, rank desc, lower(display_name), group_id
       ), flags as (
         select member_id, jsonb_object_agg(key, held) as permissions
           from (select mp.member_id, f.key, bool_or(f.value = 'true'::jsonb) as held
                   from mapped mp cross join lateral jsonb_each(coalesce(mp.mapped_permissions, '{}'::jsonb)) f
                  where mp.mapped_role = '${MemberRole.CUSTOM}'
                  group by mp.member_id, f.key) held_flags
          group by member_id
       ), decided as (
         select t.id, t.email, t.role as role_from, t.permissions as permissions_from,
                coalesce(b.mapped_role, '${MemberRole.USER}') as role_to,
                case when b.mapped_role = '${MemberRole.CUSTOM}' then ?::jsonb || coalesce(f.permissions, '{}'::jsonb)
                     else ?::jsonb end as permissions_to,
                b.group_id, b.display_name, t.role_granted_by_id as group_from
           from target t left join best b on b.member_id = t.id left join flags f on f.member_id = t.id
       ), changed as (
         update member m
            set role = d.role_to, permissions = d.permissions_to, role_granted_by_id = d.group_id,
                version = m.version + 1, updated_at = now()
           from decided d
          where m.id = d.id
            and (d.role_from <> d.role_to or d.permissions_from <> d.permissions_to
                 or d.group_from is distinct from d.group_id)
         returning d.*
       ), audited as (
         insert into audit_event (id, organization_id, type, actor_kind, actor_user_id, actor_member_id,
           actor_api_key_id, actor_provider, target_type, target_id, data, request_id, client_request_id, occurred_at)
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
        organizationId,
        none,
        none,
        organizationId,
        audit.type,
        audit.actorKind,
        audit.actorUserId,
        audit.actorMemberId,
        audit.actorApiKeyId,
        audit.actorProvider,
        audit.causeGroupId,
        audit.requestId,
        audit.clientRequestId,
        audit.occurredAt,
      ],
    );
    return rows.map((r) => ({
      memberId: r.target_id,
      data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    }));
  }
}
