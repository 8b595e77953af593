import { type EntityManager } from '@mikro-orm/postgresql';
import { type ScimKeyStatus } from '../domain/scim-key-rules';
import { preparedRows } from './prepared';

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

/** The batch's rows, by ScimRequestLogRow's property names (JSON.stringify writes dates as ISO 8601). */
const INSERT_BATCH = `insert into scim_request_log (id, organization_id, occurred_at, method, path, client, status,
    duration_ms, summary, request_id, api_key_id, api_key_hint, api_key_status, key_provider, target_type, target_id,
    warning)
  select r."id", r."organizationId", r."occurredAt", r."method", r."path", r."client", r."status", r."durationMs",
         r."summary", r."requestId", r."apiKeyId", r."apiKeyHint", r."apiKeyStatus", r."keyProvider", r."targetType",
         r."targetId", r."warning"
    from jsonb_to_recordset(?::jsonb) as r("id" uuid, "organizationId" uuid, "occurredAt" timestamptz, "method" text,
         "path" text, "client" text, "status" int, "durationMs" int, "summary" text, "requestId" text,
         "apiKeyId" uuid, "apiKeyHint" text, "apiKeyStatus" text, "keyProvider" text, "targetType" text,
         "targetId" uuid, "warning" text)`;

/** Writes of the SCIM provisioning log (its reads are in LogRepository). */
export class ScimRequestLogRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * One multi-row INSERT in its own transaction. The log is advisory: its commit need not wait for the WAL record
   * to reach the disk. The rows travel as one JSON parameter of a prepared statement: formatting a batch's values
   * into the statement's text cost more than the batch's own insert.
   */
  async insertBatch(rows: ScimRequestLogRow[]): Promise<void> {
    if (!rows.length) return;
    await this.em.transactional(async (tx) => {
      await tx.execute('set local synchronous_commit = off');
      await preparedRows(tx, INSERT_BATCH, [JSON.stringify(rows)]);
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
