import { type RequiredEntityData } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type MemberPermissions, MemberRole, type MemberSource, MemberStatus, NO_PERMISSIONS } from '../domain/enums';
import { SEAT_STATUSES } from '../domain/member-rules';
import { invalidInput, notFound } from '../domain/errors';
import { isUuid, uuidArray } from '../domain/ids';
import { Member } from '../entities';
import { keysetPage, type SortKey } from './keyset';
import { type Page, type PageRequest, decodeCursor, encodeCursor } from './pagination';
import { FOR_WRITE, type RowReader, Selection, Where, selectOne, textArray } from './selection';
import { type MemberGroupRef, type MemberView } from '../read-models/member.view';
import { type OrganizationView, type PendingMembershipView } from '../read-models/organization.view';
import { GROUPS_OF_MEMBER_COLUMN, MEMBER_VIEW_COLUMNS, memberViewOfRow, memberWithGroupsOfRow } from './member-rows';
import { escapeLike } from '../domain/text';
import { type MemberResourceFilter, type MemberSortAttribute, type ResourceSort } from '../domain/resource-filter';
import { MEMBER_SORT_COLUMNS, compileMemberFilter } from './member-filter-sql';
import { sortColumn } from './filter-sql';
import { type Row, dateOf } from './rows';

/** One offset page of members matching a resolved filter (SCIM startIndex/count). */
export interface MemberOffsetQuery {
  filter?: MemberResourceFilter;
  sort?: ResourceSort<MemberSortAttribute>;
  offset: number;
  limit: number;
}

export interface MemberFilter {
  /** Free text over email, userName, displayName, name, externalId and the names of the member's groups. */
  query?: string;
  statuses?: MemberStatus[];
  roles?: MemberRole[];
  sources?: MemberSource[];
  email?: string;
  userName?: string;
  externalId?: string;
  groupIds?: string[];
}

export type MemberOrderField = 'CREATED_AT' | 'EMAIL' | 'USER_NAME' | 'DISPLAY_NAME';

export interface MemberOrder {
  field: MemberOrderField;
  direction: 'ASC' | 'DESC';
}

const sortKeys: Record<MemberOrderField, (descending: boolean) => SortKey<MemberView>> = {
  CREATED_AT: (descending) => ({
    sql: 'm.created_at',
    read: (m) => m.createdAt.toISOString(),
    descending,
    kind: 'timestamp',
  }),
  EMAIL: (descending) => ({ sql: 'lower(m.email)', read: (m) => m.email.toLowerCase(), descending, kind: 'text' }),
  USER_NAME: (descending) => ({
    sql: 'lower(m.user_name)',
    read: (m) => m.userName.toLowerCase(),
    descending,
    kind: 'text',
  }),
  DISPLAY_NAME: (descending) => ({
    sql: "coalesce(lower(m.display_name), '')",
    read: (m) => (m.displayName ?? '').toLowerCase(),
    descending,
    kind: 'text',
  }),
};

/** Lists read plain rows into read models: no entity is hydrated for a page nobody writes. */
const MEMBER_VIEWS: RowReader<MemberView> = { columns: MEMBER_VIEW_COLUMNS, read: memberViewOfRow };

/** A member with the groups of its organization it is in (a SCIM User with its `groups`). */
export interface MemberWithGroups {
  member: MemberView;
  groups: MemberGroupRef[];
}

const MEMBERS_WITH_GROUPS: RowReader<MemberWithGroups> = {
  columns: `${MEMBER_VIEW_COLUMNS}, ${GROUPS_OF_MEMBER_COLUMN}`,
  read: memberWithGroupsOfRow,
};

/** The fields of a new member. */
export type NewMember = RequiredEntityData<Member>;

/** All member queries. Every one is scoped to an organization id. */
export class MemberRepository {
  constructor(private readonly em: EntityManager) {}

  /** The member, row-locked until the transaction ends when `forWrite` (see FOR_WRITE). */
  findInOrg(organizationId: string, id: string, forWrite = false): Promise<Member | null> {
    return selectOne(
      this.em,
      Member,
      `select * from member where id = ? and organization_id = ?${forWrite ? FOR_WRITE : ''}`,
      [id, organizationId],
    );
  }

  /** The organization's member, or the domain NOT_FOUND (also for an id that is not a UUID); see findInOrg. */
  async getInOrganization(organizationId: string, id: string, forWrite = false): Promise<Member> {
    const member = isUuid(id) ? await this.findInOrg(organizationId, id, forWrite) : null;
    if (!member) throw notFound('member');
    return member;
  }

  /** Members of the organization by id; ids of other organizations are simply absent. */
  async findManyInOrg(organizationId: string, ids: string[]): Promise<Member[]> {
    if (!ids.length) return [];
    const rows = await this.em.execute<Record<string, unknown>[]>(
      'select * from member where organization_id = ? and id = any(?::uuid[])',
      [organizationId, uuidArray(ids)],
    );
    return rows.map((row) => this.em.map(Member, row));
  }

  /**
   * The organization's member with this e-mail address and status, compared case-insensitively as the unique
   * index `member_org_email_unique` (organization_id, lower(email)) does, so the look-up is an index probe.
   */
  findByEmail(organizationId: string, email: string, status: MemberStatus): Promise<Member | null> {
    return selectOne(
      this.em,
      Member,
      'select * from member where organization_id = ? and lower(email) = lower(?) and status = ?',
      [organizationId, email, status],
    );
  }

  /** INVITED members with this e-mail address in any organization, their organization loaded (the invitee's list). */
  async invitedByEmail(email: string): Promise<Member[]> {
    const rows = await this.em.execute<Record<string, unknown>[]>(
      'select * from member where lower(email) = lower(?) and status = ? order by created_at, id',
      [email, MemberStatus.INVITED],
    );
    const members = rows.map((row) => this.em.map(Member, row));
    await this.em.populate(members, ['organization']);
    return members;
  }

  /** The user's memberships that are INVITED or ACCEPTED (not yet confirmed), oldest first, with the organization's name. */
  pendingForUser(userId: string): Promise<PendingMembershipView[]> {
    return this.em.execute(
      `select o.name as "organizationName", m.status from member m join organization o on o.id = m.organization_id
        where m.user_id = ? and m.status = any(?::text[]) order by m.created_at, m.id`,
      [userId, textArray([MemberStatus.INVITED, MemberStatus.ACCEPTED])],
    );
  }

  /** A new member (written with the transaction's next flush). */
  create(fields: NewMember): Member {
    return this.em.create(Member, fields);
  }

  /** Deletes the member with the transaction's next flush; its group links go with it (ON DELETE CASCADE). */
  remove(member: Member): void {
    this.em.remove(member);
  }

  /** The user's CONFIRMED membership of the organization (what it may do there). */
  confirmedMembership(organizationId: string, userId: string): Promise<Member | null> {
    return selectOne(this.em, Member, 'select * from member where organization_id = ? and user_id = ? and status = ?', [
      organizationId,
      userId,
      MemberStatus.CONFIRMED,
    ]);
  }

  /**
   * For a read's access check: null when the organization does not exist, else the user's CONFIRMED membership's
   * role, status and permissions (null when it has none). One statement, nothing hydrated.
   */
  async confirmedRights(
    organizationId: string,
    userId: string,
  ): Promise<{ membership: { role: MemberRole; status: MemberStatus; permissions: MemberPermissions } | null } | null> {
    const [row] = await this.em.execute<
      { role: MemberRole | null; status: MemberStatus | null; permissions: MemberPermissions | null }[]
    >(
      `select m.role, m.status, m.permissions from organization o
         left join member m on m.organization_id = o.id and m.user_id = ? and m.status = ?
        where o.id = ?`,
      [userId, MemberStatus.CONFIRMED, organizationId],
    );
    if (!row) return null;
    if (!row.role || !row.status) return { membership: null };
    return {
      membership: { role: row.role, status: row.status, permissions: { ...NO_PERMISSIONS, ...row.permissions } },
    };
  }

  /**
   * A user's access as the transports read it: null when the organization does not exist, else the organization
   * and the user's CONFIRMED membership in it (null when it has none). One statement, read into read models.
   */
  async organizationWithConfirmedMembership(
    organizationId: string,
    userId: string,
  ): Promise<{ organization: OrganizationView; membership: MemberView | null } | null> {
    const [row] = await this.em.execute<Row[]>(
      `select o.id as org_id, o.name as org_name, o.seat_limit as org_seat_limit, o.created_at as org_created_at, ${MEMBER_VIEW_COLUMNS}
         from organization o left join member m on m.organization_id = o.id and m.user_id = ? and m.status = ?
        where o.id = ?`,
      [userId, MemberStatus.CONFIRMED, organizationId],
    );
    if (!row) return null;
    return {
      organization: {
        id: row.org_id as string,
        name: row.org_name as string,
        seatLimit: (row.org_seat_limit as number | null) ?? null,
        createdAt: dateOf(row.org_created_at),
      },
      membership: row.id == null ? null : memberViewOfRow(row),
    };
  }

  /** The organization's members matching `filter` (alias `m`). */
  async filtered(organizationId: string, filter: MemberFilter = {}): Promise<Selection<MemberView>> {
    const where = whereOf(organizationId, filter, await this.groupsNamed(organizationId, filter.query));
    return new Selection(this.em, MEMBER_VIEWS, 'member', 'm', where);
  }

  /** The ids of the organization's groups whose display name contains `text` (case-insensitive). */
  private async groupsNamed(organizationId: string, text: string | undefined): Promise<string[]> {
    if (!text) return [];
    const rows: { id: string }[] = await this.em.execute(
      "select id from member_group where organization_id = ? and lower(display_name) like ? escape '\\'",
      [organizationId, `%${escapeLike(text.toLowerCase())}%`],
    );
    return rows.map((r) => r.id);
  }

  /**
   * One page of the ids of the organization's members matching `filter`, oldest first, after `after` (the cursor
   * that ended the previous page), at most `limit` of them; whether more follow; and how many match in all, whatever
   * the page. A keyset on (created_at, id), read along member_org_created_idx: members removed meanwhile move
   * nothing. The cursor carries created_at in whole microseconds: rows created by one statement share a timestamp
   * finer than a millisecond, which an ISO string would round and so repeat.
   */
  async idsMatching(
    organizationId: string,
    filter: MemberFilter,
    limit: number,
    after: string | null,
  ): Promise<{ ids: string[]; total: number; hasMore: boolean; endCursor: string | null }> {
    const where = whereOf(organizationId, filter, await this.groupsNamed(organizationId, filter.query));
    const [{ total }] = await this.em.execute<{ total: string | number }[]>(
      `select count(*) as total from member m where ${where.sql}`,
      where.params,
    );
    if (after) {
      const [micros, id] = decodeCursor(after, 'text');
      if (!/^\d{1,17}$/.test(String(micros))) throw invalidInput('cursor is not valid', 'after');
      where.and(
        "(m.created_at, m.id) > (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid)",
        micros,
        id,
      );
    }
    const rows = await this.em.execute<{ id: string; micros: string }[]>(
      `select m.id, (extract(epoch from m.created_at) * 1000000)::bigint::text as micros
         from member m where ${where.sql} order by m.created_at, m.id limit ?`,
      [...where.params, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      ids: page.map((r) => r.id),
      total: Number(total),
      hasMore: rows.length > limit,
      endCursor: last ? encodeCursor(last.micros, last.id) : null,
    };
  }

  async page(
    organizationId: string,
    filter: MemberFilter,
    order: MemberOrder,
    request: PageRequest,
  ): Promise<Page<MemberView>> {
    return keysetPage(
      await this.filtered(organizationId, filter),
      sortKeys[order.field](order.direction === 'DESC'),
      request,
    );
  }

  /**
   * An offset page with its total, oldest first unless `sort` says otherwise, each member with its groups: a
   * SCIM `userName eq` lookup is one statement.
   */
  async offsetPage(
    organizationId: string,
    query: MemberOffsetQuery,
  ): Promise<{ items: MemberWithGroups[]; total: number }> {
    const where = whereOf(organizationId, {});
    const compiled = query.filter ? compileMemberFilter(query.filter) : undefined;
    if (compiled) where.and(compiled.sql, ...compiled.params);
    const sortSql = sortColumn(MEMBER_SORT_COLUMNS, query.sort?.attribute ?? 'meta.created');
    return new Selection(this.em, MEMBERS_WITH_GROUPS, 'member', 'm', where)
      .prepared()
      .offsetPage(sortSql, query.sort?.descending ?? false, query.offset, query.limit, compiled?.atMostOneRow);
  }

  /** Both lifecycle guard counts in one statement: confirmed owners, and seats taken (INVITED, ACCEPTED, CONFIRMED). */
  async guardCounts(organizationId: string): Promise<{ confirmedOwners: number; seatsUsed: number }> {
    const [row]: { owners: string; seats: string }[] = await this.em.execute(
      `select count(*) filter (where role = ? and status = ?)::text as owners,
              count(*) filter (where status = any(?::text[]))::text as seats
         from member where organization_id = ?`,
      [MemberRole.OWNER, MemberStatus.CONFIRMED, textArray(SEAT_STATUSES), organizationId],
    );
    return { confirmedOwners: Number(row.owners), seatsUsed: Number(row.seats) };
  }

  async statusCounts(organizationId: string): Promise<Record<MemberStatus, number>> {
    const rows: { status: MemberStatus; count: string }[] = await this.em.execute(
      'select status, count(*)::text as count from member where organization_id = ? group by status',
      [organizationId],
    );
    const counts = Object.fromEntries(Object.values(MemberStatus).map((s) => [s, 0])) as Record<MemberStatus, number>;
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }

  /** The ids among `ids` that are not members of the organization (unknown, other org, or not UUIDs). */
  async foreignIds(organizationId: string, ids: string[]): Promise<string[]> {
    const uuids = ids.filter(isUuid);
    const known = new Set<string>();
    if (uuids.length) {
      const rows: { id: string }[] = await this.em.execute(
        'select id from member where organization_id = ? and id = any(?::uuid[])',
        [organizationId, uuidArray(uuids)],
      );
      for (const row of rows) known.add(row.id);
    }
    return ids.filter((id) => !known.has(id.toLowerCase()));
  }
}

/**
 * The WHERE clause of a member filter over alias `m`; `groupIds` are the organization's groups whose name the
 * free text matches (see `groupsNamed`).
 */
function whereOf(organizationId: string, filter: MemberFilter, groupIds: readonly string[] = []): Where {
  const where = new Where('m.organization_id = ?', organizationId);
  if (filter.query) {
    const like = `%${escapeLike(filter.query.toLowerCase())}%`;
    // Groups match in their own EXISTS, added only when some group's name matches: with the groups looked up
    // first, a search that names no group keeps the member columns' plan (a correlated OR the planner guesses
    // as matching half the members would not).
    const inGroup = groupIds.length
      ? ' or exists (select 1 from group_membership gm where gm.member_id = m.id and gm.group_id = any(?::uuid[]))'
      : '';
    where.and(
      "lower(m.email) like ? or lower(m.user_name) like ? or lower(coalesce(m.display_name, '')) like ? or lower(coalesce(m.formatted_name, '')) like ? or lower(coalesce(m.external_id, '')) like ?" +
        inGroup,
      like,
      like,
      like,
      like,
      like,
      ...(groupIds.length ? [uuidArray(groupIds)] : []),
    );
  }
  if (filter.statuses?.length) where.and('m.status = any(?::text[])', textArray(filter.statuses));
  if (filter.roles?.length) where.and('m.role = any(?::text[])', textArray(filter.roles));
  if (filter.sources?.length) where.and('m.source = any(?::text[])', textArray(filter.sources));
  if (filter.email) where.and('lower(m.email) = lower(?)', filter.email);
  if (filter.userName) where.and('lower(m.user_name) = lower(?)', filter.userName);
  if (filter.externalId) where.and('m.external_id = ?', filter.externalId);
  if (filter.groupIds?.length)
    where.and(
      'exists (select 1 from group_membership gm where gm.member_id = m.id and gm.group_id = any(?::uuid[]))',
      uuidArray(filter.groupIds),
    );
  return where;
}
