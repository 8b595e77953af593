import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { type Actor } from '../domain/actor';
import { type Page, type PageRequest } from '../repositories/pagination';
import {
  type ScimRequestLogRow,
  ScimRequestLogRepository,
  type ScimRequestRecord,
} from '../repositories/scim-request-log.repository';
import { ScimRequestLogReads, type ScimRequestLogFilter } from '../repositories/scim-request-log-reads';
import { authorize } from './access';
import { BaseService } from './base';
import { type ScimRequestLogView, scimRequestLogView } from '../read-models/log.view';
import {
  type MemberProvisioningView,
  type ScimRequestStatsView,
  memberProvisioningView,
  scimRequestStatsView,
} from '../read-models/scim-activity.view';
import { mapPage } from './page';

export type { ScimRequestLogFilter, ScimRequestRecord };

const FLUSH_MS = 200;
const FLUSH_ROWS = 200;
const PRUNE_COUNTERS = 10_000;
/** "N failures in the last hour". */
const STATS_WINDOW_MS = 60 * 60_000;

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
      keyProvider: entry.apiKey?.provider?.slice(0, 40) ?? null,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      warning: entry.warning?.slice(0, 1000) ?? null,
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
      return mapPage(await new ScimRequestLogReads(em).page(organizationId, filter, page), scimRequestLogView);
    });
  }

  /** The figures above the log: the connection's state, each client's last success, the last hour's failures. */
  async stats(actor: Actor, organizationId: string): Promise<ScimRequestStatsView> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'manageScim');
      await this.flush();
      const since = new Date(Date.now() - STATS_WINDOW_MS);
      return scimRequestStatsView(await new ScimRequestLogReads(em).stats(organizationId, since), since);
    });
  }

  /**
   * Each member's last provisioning and last SCIM error, for a viewer who may read the provisioning log
   * (manageScim); for anyone else the map is empty: the log's contents are not theirs to read.
   */
  async provisioningOf(
    actor: Actor,
    organizationId: string,
    memberIds: string[],
  ): Promise<Map<string, MemberProvisioningView>> {
    return this.read(async (em) => {
      const capabilities = await authorize(em, actor, organizationId, 'viewOrganization', { answerOnly: true });
      if (!capabilities.manageScim) return new Map();
      await this.flush();
      const rows = await new ScimRequestLogReads(em).provisioningOf(organizationId, memberIds);
      return new Map(rows.map((r) => [r.memberId, memberProvisioningView(r)]));
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
