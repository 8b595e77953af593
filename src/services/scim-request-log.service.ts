import { randomUUID } from 'node:crypto';
import { Actor } from '../domain/actor';
import { ScimRequestLog } from '../entities';
import { keysetPage } from '../repositories/keyset';
import { Page, PageRequest } from '../repositories/pagination';
import { requireCapability } from './access';
import { BaseService } from './base';

export interface ScimRequestRecord {
  organizationId: string;
  method: string;
  path: string;
  client: string | null;
  status: number;
  durationMs: number;
  /** What changed, or the error detail. Never a secret or a request body. */
  summary: string | null;
  requestId: string | null;
}

export interface ScimRequestLogFilter {
  /** Exact HTTP status, or a class: 400 with `statusClass` = 4 means 4xx. */
  status?: number;
  statusClass?: number;
}

/** The per-organization provisioning log an admin reads when an IdP "doesn't sync". */
export class ScimRequestLogService extends BaseService {
  private writesSincePrune = new Map<string, number>();

  /** Records one request outside any business transaction (failed requests are logged too). */
  async record(entry: ScimRequestRecord): Promise<void> {
    // One plain INSERT, no unit of work or transaction: this runs after every SCIM response.
    await this.em().insert(ScimRequestLog, {
      id: randomUUID(),
      organization: entry.organizationId,
      occurredAt: new Date(),
      method: entry.method,
      path: entry.path.slice(0, 1000),
      client: entry.client,
      status: entry.status,
      durationMs: Math.round(entry.durationMs),
      summary: entry.summary?.slice(0, 1000) ?? null,
      requestId: entry.requestId,
    });
    await this.pruneNowAndThen(entry.organizationId);
  }

  async list(actor: Actor, organizationId: string, filter: ScimRequestLogFilter, page: PageRequest): Promise<Page<ScimRequestLog>> {
    return this.read(async (em) => {
      await requireCapability(em, actor, organizationId, 'manageScim');
      const qb = em.createQueryBuilder(ScimRequestLog, 'l').where({ organization: organizationId });
      if (filter.status != null) qb.andWhere({ status: filter.status });
      if (filter.statusClass != null) qb.andWhere({ status: { $gte: filter.statusClass * 100, $lt: (filter.statusClass + 1) * 100 } });
      return keysetPage(qb, 'l', { sql: 'l.occurred_at', read: (l) => l.occurredAt.toISOString(), descending: true }, page);
    });
  }

  /** Retention: keep the newest SCIM_LOG_RETENTION rows per organization; pruned every 100 writes. */
  private async pruneNowAndThen(organizationId: string): Promise<void> {
    const n = (this.writesSincePrune.get(organizationId) ?? 0) + 1;
    this.writesSincePrune.set(organizationId, n % 100);
    if (n % 100 !== 1) return;
    await this.em().execute(
      `delete from scim_request_log where organization_id = ? and occurred_at < coalesce((
         select occurred_at from scim_request_log where organization_id = ? order by occurred_at desc offset ? limit 1), '-infinity')`,
      [organizationId, organizationId, this.deps.config.SCIM_LOG_RETENTION],
    );
  }
}
