import { type EntityData } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import { isUuid, uuidArray } from '../domain/ids';
import { escapeLike } from '../domain/text';
import { ScimRequestLog } from '../entities';
import {
  type MemberProvisioningRow,
  type ScimRequestLogEntryRow,
  type ScimRequestStatsRow,
} from '../read-models/log-rows';
import { keysetPage } from './keyset';
import { type Page, type PageRequest } from './pagination';
import { type RowReader, Selection, Where } from './selection';

export interface ScimRequestLogFilter {
  /** Exact HTTP status, or a class: 400 with `statusClass` = 4 means 4xx. */
  status?: number;
  statusClass?: number;
  /** true: status 400 or above (what the identity provider saw fail); false: below 400. */
  failed?: boolean;
  since?: Date;
  /** A member id, or text in a member's email, userName or externalId: the requests about that person. */
  person?: string;
  /** true: only successes that still left something undone (the entries with a warning). */
  hasWarning?: boolean;
  /** true: only requests refused for their key; false: only requests whose key was accepted. */
  rejectedKey?: boolean;
}

/**
 * Reads of the SCIM provisioning log (its writes are in ScimRequestLogRepository). The names of what an entry
 * concerned are read in the same statement, scoped to the entry's organization.
 */
export class ScimRequestLogReads {
  constructor(private readonly em: EntityManager) {}

  page(organizationId: string, filter: ScimRequestLogFilter, page: PageRequest): Promise<Page<ScimRequestLogEntryRow>> {
    const selection = new Selection(
      this.em,
      this.entryReader(),
      'scim_request_log',
      'l',
      whereOf(organizationId, filter),
    );
    return keysetPage(
      selection,
      { sql: 'l.occurred_at', read: (r) => r.occurredAt.toISOString(), descending: true, kind: 'timestamp' },
      page,
    );
  }

  async stats(organizationId: string, since: Date): Promise<ScimRequestStatsRow> {
    const [counts] = await this.em.execute<{ failures: string; rejected: string; last: Date | null }[]>(
      `select count(*) filter (where l.api_key_id is not null and l.status >= 400)::text as failures,
              count(*) filter (where l.api_key_id is null)::text as rejected,
              (select max(a.occurred_at) from scim_request_log a
                where a.organization_id = ? and a.api_key_id is not null) as last
         from scim_request_log l where l.organization_id = ? and l.occurred_at >= ?`,
      [organizationId, organizationId, since],
    );
    const successes = await this.em.execute<{ key_provider: string | null; client: string | null; at: Date }[]>(
      `select key_provider, case when key_provider is null then client end as client, max(occurred_at) as at
         from scim_request_log
        where organization_id = ? and api_key_id is not null and status < 400
        group by 1, 2 order by 3 desc`,
      [organizationId],
    );
    return {
      lastRequestAt: counts.last ? new Date(counts.last) : null,
      lastSuccessByProvider: successes.map((s) => ({
        keyProvider: s.key_provider,
        client: s.client,
        at: new Date(s.at),
      })),
      failures: Number(counts.failures),
      rejectedKeys: Number(counts.rejected),
    };
  }

  /** Per member: two lookups in the (organization, target, time) index, whatever the size of the log. */
  async provisioningOf(organizationId: string, memberIds: string[]): Promise<MemberProvisioningRow[]> {
    const ids = memberIds.filter(isUuid);
    if (!ids.length) return [];
    const rows = await this.em.execute<
      { id: string; provisioned: Date | null; status: number | null; summary: string | null; at: Date | null }[]
    >(
      `select t.id,
              (select max(p.occurred_at) from scim_request_log p
                where p.organization_id = ? and p.target_id = t.id and p.status < 400 and p.method <> 'GET') as provisioned,
              e.status, e.summary, e.occurred_at as at
         from unnest(?::uuid[]) as t(id)
         left join lateral (
           select f.status, f.summary, f.occurred_at from scim_request_log f
            where f.organization_id = ? and f.target_id = t.id and f.status >= 400
            order by f.occurred_at desc limit 1) e on true`,
      [organizationId, uuidArray(ids), organizationId],
    );
    return rows.map((r) => ({
      memberId: r.id,
      lastProvisionedAt: r.provisioned ? new Date(r.provisioned) : null,
      lastError: r.status != null && r.at ? { status: r.status, summary: r.summary, at: new Date(r.at) } : null,
    }));
  }

  private entryReader(): RowReader<ScimRequestLogEntryRow> {
    return {
      columns: `l.*,
        case l.target_type when 'member' then (select m.email from member m
          where m.id = l.target_id and m.organization_id = l.organization_id) end as target_email,
        case l.target_type
          when 'member' then (select coalesce(m.display_name, m.formatted_name, m.user_name) from member m
            where m.id = l.target_id and m.organization_id = l.organization_id)
          when 'group' then (select g.display_name from member_group g
            where g.id = l.target_id and g.organization_id = l.organization_id) end as target_name`,
      read: (row) => {
        const { target_email, target_name, ...columns } = row;
        const entry = this.em.map(ScimRequestLog, columns as EntityData<ScimRequestLog>);
        return {
          id: entry.id,
          occurredAt: entry.occurredAt,
          entry,
          targetEmail: (target_email as string | null) ?? null,
          targetName: (target_name as string | null) ?? null,
        };
      },
    };
  }
}

function whereOf(organizationId: string, filter: ScimRequestLogFilter): Where {
  const where = new Where('l.organization_id = ?', organizationId);
  if (filter.status != null) where.and('l.status = ?', filter.status);
  if (filter.statusClass != null)
    where.and('l.status >= ? and l.status < ?', filter.statusClass * 100, (filter.statusClass + 1) * 100);
  if (filter.failed != null) where.and(filter.failed ? 'l.status >= 400' : 'l.status < 400');
  if (filter.since) where.and('l.occurred_at >= ?', filter.since);
  if (filter.hasWarning != null) where.and(filter.hasWarning ? 'l.warning is not null' : 'l.warning is null');
  if (filter.rejectedKey != null) where.and(filter.rejectedKey ? 'l.api_key_id is null' : 'l.api_key_id is not null');
  const person = filter.person?.trim();
  if (person && isUuid(person)) where.and('l.target_id = ?', person.toLowerCase());
  else if (person) {
    const like = `%${escapeLike(person.toLowerCase())}%`;
    where.and(
      `l.target_type = 'member' and l.target_id in (select m.id from member m where m.organization_id = ?
         and (lower(m.email) like ? or lower(m.user_name) like ? or lower(coalesce(m.external_id, '')) like ?))`,
      organizationId,
      like,
      like,
      like,
    );
  }
  return where;
}
