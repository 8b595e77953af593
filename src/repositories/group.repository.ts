import { type GroupSource } from '../domain/enums';
import { type EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../domain/errors';
import { isUuid, uuidArray } from '../domain/ids';
import { Group, type Organization } from '../entities';
import { keysetPage } from './keyset';
import { type Page, type PageRequest } from './pagination';
import { FOR_WRITE, type RowReader, Selection, Where, selectOne } from './selection';
import { type GroupView } from '../read-models/group.view';
import { type MemberView } from '../read-models/member.view';
import { groupViewOfRow } from './group-rows';
import { MEMBER_VIEW_COLUMNS, memberViewOfRow } from './member-rows';
import { escapeLike } from '../domain/text';
import { type GroupResourceFilter, type GroupSortAttribute, type ResourceSort } from '../domain/resource-filter';
import { GROUP_SORT_COLUMNS, compileGroupFilter } from './group-filter-sql';
import { sortColumn } from './filter-sql';

/** One offset page of groups matching a resolved filter (SCIM startIndex/count). */
export interface GroupOffsetQuery {
  filter?: GroupResourceFilter;
  sort?: ResourceSort<GroupSortAttribute>;
  offset: number;
  limit: number;
}

export interface GroupFilter {
  query?: string;
  externalId?: string;
  displayName?: string;
}

export type GroupOrderField = 'CREATED_AT' | 'DISPLAY_NAME';

/** Lists read plain rows into read models: no entity is hydrated for a page nobody writes. */
const GROUP_VIEWS: RowReader<GroupView> = { columns: 'g.*', read: groupViewOfRow };

/**
 * Group queries and membership edits. Membership edits are set-based statements whose cost depends on
 * the size of the change, never on the size of the group.
 */
export class GroupRepository {
  constructor(private readonly em: EntityManager) {}

  // em.execute runs inside the caller's transaction, when there is one.
  private get sql() {
    return this.em;
  }

  /** The group, row-locked until the transaction ends when `forWrite` (see FOR_WRITE). */
  findInOrg(organizationId: string, id: string, forWrite = false): Promise<Group | null> {
    return selectOne(
      this.em,
      Group,
      `select * from member_group where id = ? and organization_id = ?${forWrite ? FOR_WRITE : ''}`,
      [id, organizationId],
    );
  }

  /** The organization's group, or the domain NOT_FOUND (also for an id that is not a UUID); see findInOrg. */
  async getInOrganization(organizationId: string, id: string, forWrite = false): Promise<Group> {
    const group = isUuid(id) ? await this.findInOrg(organizationId, id, forWrite) : null;
    if (!group) throw notFound('group');
    return group;
  }

  /** A new group (written with the transaction's next flush). */
  create(fields: {
    organization: Organization;
    displayName: string;
    externalId: string | null;
    source: GroupSource;
  }): Group {
    return this.em.create(Group, fields);
  }

  /** Deletes the group with the transaction's next flush; its membership rows go with it (ON DELETE CASCADE). */
  remove(group: Group): void {
    this.em.remove(group);
  }

  /**
   * A change of a member's groups is a change of each group it is in (new version and lastModified for SCIM's ETag).
   */
  async touchGroupsOfMember(organizationId: string, memberId: string): Promise<void> {
    await this.sql.execute(
      'update member_group set version = version + 1, updated_at = now() where organization_id = ? and id in (select group_id from group_membership where member_id = ?)',
      [organizationId, memberId],
    );
  }

  /** The organization's groups matching `filter` (alias `g`). */
  filtered(organizationId: string, filter: GroupFilter = {}): Selection<GroupView> {
    const where = new Where('g.organization_id = ?', organizationId);
    if (filter.query) where.and('lower(g.display_name) like ?', `%${escapeLike(filter.query.toLowerCase())}%`);
    if (filter.externalId) where.and('g.external_id = ?', filter.externalId);
    if (filter.displayName) where.and('lower(g.display_name) = lower(?)', filter.displayName);
    return new Selection(this.em, GROUP_VIEWS, 'member_group', 'g', where);
  }

  page(
    organizationId: string,
    filter: GroupFilter,
    field: GroupOrderField,
    descending: boolean,
    request: PageRequest,
  ): Promise<Page<GroupView>> {
    const sort =
      field === 'DISPLAY_NAME'
        ? {
            sql: 'lower(g.display_name)',
            read: (g: GroupView) => g.displayName.toLowerCase(),
            descending,
            kind: 'text' as const,
          }
        : {
            sql: 'g.created_at',
            read: (g: GroupView) => g.createdAt.toISOString(),
            descending,
            kind: 'timestamp' as const,
          };
    return keysetPage(this.filtered(organizationId, filter), sort, request);
  }

  /** An offset page with its total, oldest first unless `sort` says otherwise. */
  async offsetPage(organizationId: string, query: GroupOffsetQuery): Promise<{ items: GroupView[]; total: number }> {
    const where = new Where('g.organization_id = ?', organizationId);
    const compiled = query.filter ? compileGroupFilter(query.filter) : undefined;
    if (compiled) where.and(compiled.sql, ...compiled.params);
    const sortSql = sortColumn(GROUP_SORT_COLUMNS, query.sort?.attribute ?? 'meta.created');
    return new Selection(this.em, GROUP_VIEWS, 'member_group', 'g', where).offsetPage(
      sortSql,
      query.sort?.descending ?? false,
      query.offset,
      query.limit,
      compiled?.atMostOneRow,
    );
  }

  /** Inserts the missing links only (idempotent). Callers have checked the ids belong to the organization. */
  /** Adds the organization's members among `memberIds`; returns the ids that were not in the group before. */
  async addMembers(groupId: string, organizationId: string, memberIds: string[]): Promise<string[]> {
    if (!memberIds.length) return [];
    const rows: { member_id: string }[] = await this.sql.execute(
      `insert into group_membership (group_id, member_id)
       select ?, m.id from member m where m.organization_id = ? and m.id = any(?::uuid[])
       on conflict do nothing returning member_id`,
      [groupId, organizationId, uuidArray(memberIds)],
    );
    return rows.map((row) => row.member_id);
  }

  /** Removes `memberIds` from the group; returns the ids that were in it. */
  async removeMembers(groupId: string, memberIds: string[]): Promise<string[]> {
    if (!memberIds.length) return [];
    const rows: { member_id: string }[] = await this.sql.execute(
      'delete from group_membership where group_id = ? and member_id = any(?::uuid[]) returning member_id',
      [groupId, uuidArray(memberIds)],
    );
    return rows.map((row) => row.member_id);
  }

  /** Empties the group; returns the ids of the members it had. */
  async removeAllMembers(groupId: string): Promise<string[]> {
    const rows: { member_id: string }[] = await this.sql.execute(
      'delete from group_membership where group_id = ? returning member_id',
      [groupId],
    );
    return rows.map((row) => row.member_id);
  }

  /** Makes the group's members exactly `memberIds`: deletes the others, inserts the missing; returns both. */
  async replaceMembers(
    groupId: string,
    organizationId: string,
    memberIds: string[],
  ): Promise<{ added: string[]; removed: string[] }> {
    const rows: { member_id: string }[] = await this.sql.execute(
      'delete from group_membership where group_id = ? and not (member_id = any(?::uuid[])) returning member_id',
      [groupId, uuidArray(memberIds)],
    );
    const added = await this.addMembers(groupId, organizationId, memberIds);
    return { added, removed: rows.map((row) => row.member_id) };
  }

  /** Same as above for one member's groups (GraphQL memberGroupsSet): returns the groups it joined and left. */
  async replaceGroupsOfMember(
    memberId: string,
    organizationId: string,
    groupIds: string[],
  ): Promise<{ addedTo: string[]; removedFrom: string[] }> {
    const removed: { group_id: string }[] = await this.sql.execute(
      'delete from group_membership where member_id = ? and not (group_id = any(?::uuid[])) returning group_id',
      [memberId, uuidArray(groupIds)],
    );
    const added: { group_id: string }[] = groupIds.length
      ? await this.sql.execute(
          `insert into group_membership (group_id, member_id)
           select g.id, ? from member_group g where g.organization_id = ? and g.id = any(?::uuid[])
           on conflict do nothing returning group_id`,
          [memberId, organizationId, uuidArray(groupIds)],
        )
      : [];
    return { addedTo: added.map((r) => r.group_id), removedFrom: removed.map((r) => r.group_id) };
  }

  async foreignGroupIds(organizationId: string, ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = ids.length
      ? await this.sql.execute('select id from member_group where organization_id = ? and id = any(?::uuid[])', [
          organizationId,
          uuidArray(ids),
        ])
      : [];
    const known = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !known.has(id.toLowerCase()));
  }

  /** Those of `ids` that are the organization's groups pushed by its identity provider (source SCIM), by name. */
  async idpGroups(organizationId: string, ids: string[]): Promise<{ id: string; displayName: string }[]> {
    if (!ids.length) return [];
    const rows: { id: string; display_name: string }[] = await this.sql.execute(
      `select id, display_name from member_group
        where organization_id = ? and id = any(?::uuid[]) and source = 'SCIM' order by lower(display_name), id`,
      [organizationId, uuidArray(ids)],
    );
    return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
  }

  /** The organization's groups of many members in one statement, by name (GraphQL DataLoader). */
  async groupsOfMembers(organizationId: string, memberIds: string[]): Promise<Map<string, GroupView[]>> {
    const result = new Map<string, GroupView[]>(memberIds.map((id) => [id, []]));
    if (!memberIds.length) return result;
    // One row per group with the ids of its members among these: a group shared by a page's members (a team, a
    // big group) is sent and parsed once, not once per membership. Groups come in name order, so each member's
    // list is too.
    // The ids come joined by commas (a UUID has none): splitting a string costs a fraction of parsing an array.
    const rows: (Record<string, unknown> & { member_ids: string })[] = await this.sql.execute(
      `select g.*, string_agg(gm.member_id::text, ',') as member_ids
         from group_membership gm join member_group g on g.id = gm.group_id
        where gm.member_id = any(?::uuid[]) and g.organization_id = ?
        group by g.id order by lower(g.display_name), g.id`,
      [uuidArray(memberIds), organizationId],
    );
    for (const row of rows) {
      const group = groupViewOfRow(row);
      for (const memberId of row.member_ids.split(',')) result.get(memberId)?.push(group);
    }
    return result;
  }

  /** Members of many groups in one statement, at most `limitPerGroup` each (null = all, for SCIM GET). */
  async membersOfGroups(groupIds: string[], limitPerGroup: number | null): Promise<Map<string, MemberView[]>> {
    const result = new Map<string, MemberView[]>(groupIds.map((id) => [id, []]));
    if (!groupIds.length) return result;
    const limit = limitPerGroup == null ? '' : `where rn <= ${Math.floor(limitPerGroup)}`;
    const rows: (Record<string, unknown> & { group_id: string })[] = await this.sql.execute(
      `select * from (
         select gm.group_id, ${MEMBER_VIEW_COLUMNS}, row_number() over (partition by gm.group_id order by m.created_at, m.id) as rn
         from group_membership gm join member m on m.id = gm.member_id
         where gm.group_id = any(?::uuid[])
       ) x ${limit} order by group_id, rn`,
      [uuidArray(groupIds)],
    );
    for (const row of rows) result.get(row.group_id)?.push(memberViewOfRow(row));
    return result;
  }

  async memberCounts(groupIds: string[]): Promise<Map<string, number>> {
    const rows: { group_id: string; count: string }[] = groupIds.length
      ? await this.sql.execute(
          'select group_id, count(*)::text as count from group_membership where group_id = any(?::uuid[]) group by group_id',
          [uuidArray(groupIds)],
        )
      : [];
    const result = new Map<string, number>(groupIds.map((id) => [id, 0]));
    for (const row of rows) result.set(row.group_id, Number(row.count));
    return result;
  }
}
