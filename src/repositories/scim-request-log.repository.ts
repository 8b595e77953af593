import { type EntityManager } from '@mikro-orm/postgresql';
import { type ScimKeyStatus } from '../domain/scim-key-rules';
import { ScimRequestLog } from '../entities';

/** One SCIM request, as the transport reports it. */
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
  /** The key the request authenticated with and the provider configured for it; null when none was accepted. */
  apiKey?: { id: string; hint: string; status: ScimKeyStatus; provider?: string } | null;
  /** The member or group the request concerned, when it named one. */
  target?: { type: 'member' | 'group'; id: string } | null;
  /** What a success still left undone (members skipped, a deprovisioning held). */
  warning?: string | null;
}

/** One row of the provisioning log. */
export interface ScimRequestLogRow extends Omit<ScimRequestRecord, 'apiKey' | 'target' | 'warning'> {
  id: string;
  occurredAt: Date;
  apiKeyId: string | null;
  apiKeyHint: string | null;
  apiKeyStatus: ScimKeyStatus | null;
  keyProvider: string | null;
  targetType: string | null;
  targetId: string | null;
  warning: string | null;
}

/** Writes of the SCIM provisioning log (its reads are in LogRepository). */
export class ScimRequestLogRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * One multi-row INSERT in its own transaction. The log is advisory: its commit need not wait for the WAL record
   * to reach the disk.
   */
  async insertBatch(rows: ScimRequestLogRow[]): Promise<void> {
    if (!rows.length) return;
    await this.em.transactional(async (tx) => {
      await tx.execute('set local synchronous_commit = off');
      await tx.insertMany(
        ScimRequestLog,
        rows.map(({ organizationId, ...row }) => ({ ...row, organization: organizationId })),
      );
    });
  }

  /** Retention: deletes all but the newest `keep` rows of the organization. */
  async prune(organizationId: string, keep: number): Promise<void> {
    await this.em.execute(
      `delete from scim_request_log where organization_id = ? and occurred_at < coalesce((
         select occurred_at from scim_request_log where organization_id = ? order by occurred_at desc offset ? limit 1), '-infinity')`,
      [organizationId, organizationId, keep],
    );
  }
}
