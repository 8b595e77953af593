import { type EntityManager } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type pino from 'pino';

/**
 * Credential changes, told to every instance through PostgreSQL's LISTEN/NOTIFY. A change is announced inside the
 * transaction that makes it (`pg_notify`), so listeners hear of it when it commits, and never of a rolled-back one.
 */
const CHANNEL = 'orgd_credentials';

/**
 * What changed: an organization's SCIM key or settings, one access token, or an organization's webhook endpoints
 * (what its writes must announce). Ids only: never a secret or hash.
 */
export type CredentialChange =
  | { kind: 'scim'; organizationId: string }
  | { kind: 'token'; tokenId: string }
  | { kind: 'webhooks'; organizationId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const encode = (change: CredentialChange): string =>
  change.kind === 'token' ? `token:${change.tokenId}` : `${change.kind}:${change.organizationId}`;

function decode(payload: string | undefined): CredentialChange | null {
  const [kind, id] = (payload ?? '').split(':', 2);
  if (!id || !UUID.test(id)) return null;
  if (kind === 'scim' || kind === 'webhooks') return { kind, organizationId: id.toLowerCase() };
  if (kind === 'token') return { kind, tokenId: id.toLowerCase() };
  return null;
}

/** Announces `change` in the caller's transaction: delivered to every listener on commit only. */
export async function notifyCredentialChange(tx: EntityManager, change: CredentialChange): Promise<void> {
  await tx.execute('select pg_notify(?, ?)', [CHANNEL, encode(change)]);
}

export interface ChangeListenerEvents {
  onChange: (change: CredentialChange) => void;
  /**
   * True once the LISTEN is in place, false when the connection is lost. Either way notifications may have been
   * missed in between, so whatever was learned before is suspect.
   */
  onListening: (listening: boolean) => void;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

/**
 * One dedicated connection that LISTENs on the credentials channel. A LISTEN lives as long as its session, so the
 * connection is held for the life of the process and opened again, with a growing pause, whenever it drops.
 * (Through PgBouncer it must be a session-mode connection: transaction pooling does not keep a LISTEN.)
 */
export class ChangeListener {
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly events: ChangeListenerEvents,
    private readonly logger: pino.Logger,
  ) {}

  get listening(): boolean {
    return this.client !== undefined;
  }

  start(): void {
    if (!this.stopped && !this.client && !this.timer) void this.connect();
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.timer = undefined;
    const client = new Client({
      connectionString: this.url,
      application_name: 'orgd-listener',
      connectionTimeoutMillis: 5000,
      // A connection that silently died (a firewall dropping idle flows) is noticed within seconds, not hours.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      client.end().catch(() => undefined);
      if (this.client === client) {
        this.client = undefined;
        this.logger.warn({ err: err?.message }, 'credential change listener lost its connection; reconnecting');
        this.events.onListening(false);
      }
      this.retry();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL) return;
      const change = decode(message.payload);
      if (change) this.events.onChange(change);
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (err) {
      onLost(err as Error);
      return;
    }
    if (lost) return;
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.failures > 0) this.logger.info('credential change listener connected again');
    this.failures = 0;
    this.events.onListening(true);
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.failures++);
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }
}
