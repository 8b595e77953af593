import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { type Actor } from '../domain/actor';
import { LogRepository, type ScimRequestLogFilter } from '../repositories/log.repository';
import { type Page, type PageRequest } from '../repositories/pagination';
import {
  type ScimRequestLogRow,
  ScimRequestLogRepository,
  type ScimRequestRecord,
} from '../repositories/scim-request-log.repository';
import { authorize } from './access';
import { BaseService } from './base';
import { type ScimRequestLogView, scimRequestLogView } from '../read-models/log.view';
import { mapPage } from './page';

export type { ScimRequestLogFilter, ScimRequestRecord };

const FLUSH_MS = 200;
const FLUSH_ROWS = 200;
const PRUNE_COUNTERS = 10_000;

/** The per-organization provisioning log an admin reads when an IdP "doesn't sync". */
export class ScimRequestLogService extends BaseService {
  /** Batches per organization since its last prune; bounded (a forgotten organization is pruned at its next batch). */
  private writesSincePrune = new LRUCache<string, number>({ max: PRUNE_COUNTERS });
  private buffer: ScimRequestLogRow[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  /**
   * Records one request outside any business transaction (failed requests are logged too). Rows are
   * buffered and written together: one multi-row INSERT per batch instead of a commit (and a WAL flush)
   * per SCIM request. A crash may lose the last batch of this debugging log, never a business change.
   */
  record(entry: ScimRequestRecord): Promise<void> {
    this.buffer.push({
      id: randomUUID(),
      organizationId: entry.organizationId,
      occurredAt: new Date(),
      method: entry.method,
      path: entry.path.slice(0, 1000),
      client: entry.client,
      status: entry.status,
      durationMs: Math.round(entry.durationMs),
      summary: entry.summary?.slice(0, 1000) ?? null,
      requestId: entry.requestId,
      apiKeyId: entry.apiKey?.id ?? null,
      apiKeyHint: entry.apiKey?.hint ?? null,
      apiKeyStatus: entry.apiKey?.status ?? null,
    });
    if (this.buffer.length >= FLUSH_ROWS) return this.flush();
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS);
    this.timer.unref();
    return Promise.resolve();
  }

  /** Writes what is buffered (also called before reading, and at shutdown). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const rows = this.buffer.splice(0);
    // A failed batch (database away) is dropped; the chain must go on for the next ones.
    this.flushing = this.flushing
      .catch(() => undefined)
      .then(async () => {
        if (!rows.length) return;
        await new ScimRequestLogRepository(this.em()).insertBatch(rows);
        for (const orgId of new Set(rows.map((r) => r.organizationId))) await this.pruneNowAndThen(orgId);
      });
    return this.flushing;
  }

  async list(
    actor: Actor,
    organizationId: string,
    filter: ScimRequestLogFilter,
    page: PageRequest,
  ): Promise<Page<ScimRequestLogView>> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'manageScim');
      await this.flush();
      return mapPage(await new LogRepository(em).scimRequestPage(organizationId, filter, page), scimRequestLogView);
    });
  }

  /** Retention: keep the newest SCIM_LOG_RETENTION rows per organization; pruned every 100 batches. */
  private async pruneNowAndThen(organizationId: string): Promise<void> {
    const n = (this.writesSincePrune.get(organizationId) ?? 0) + 1;
    this.writesSincePrune.set(organizationId, n % 100);
    if (n % 100 !== 1) return;
    await new ScimRequestLogRepository(this.em()).prune(organizationId, this.deps.config.SCIM_LOG_RETENTION);
  }
}
