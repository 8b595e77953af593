import type pino from 'pino';
import { type Orm } from '../db';
import { WEBHOOK_FAILING_DISABLE_AFTER_MS, retryDelaySeconds } from '../domain/webhook-events';
import { OutboxRepository } from '../repositories/outbox.repository';
import { inTransaction, newUnitOfWork } from '../repositories/unit-of-work';
import { notifyCredentialChange } from '../repositories/change-notifications';
import {
  type ClaimedDelivery,
  type DeliveredOutcome,
  WebhookDeliveryRepository,
} from '../repositories/webhook-delivery.repository';
import { type NameResolver, resolveDeliveryAddresses } from './webhooks/address-policy';
import { EndpointAgents } from './webhooks/endpoint-agents';
import { postTo } from './webhooks/http-post';
import { type SecretBox, signature } from './webhooks/secret-box';
import { EventLoopLoad, type LoadGauge } from './event-loop-load';

/** While deliveries keep being claimed, events are numbered at most this often. */
const NUMBERING_INTERVAL_MS = 250;

export interface WebhookDispatcherOptions {
  allowPrivateNetworks: boolean;
  publicUrl: string;
  /** How often due deliveries are looked for. */
  intervalMs?: number;
  /** Deliveries claimed at once, and at most per endpoint (attempted one after another). */
  batchSize?: number;
  perEndpoint?: number;
  /** One attempt's bound: no answer within it is a failure. */
  timeoutMs?: number;
  /** After the n-th failed attempt, seconds until the next (null: give up). The catalogue's schedule by default. */
  retryDelay?: (failedAttempts: number) => number | null;
  failingDisableAfterMs?: number;
  /** How names are resolved at delivery time (the system resolver by default). */
  resolveName?: NameResolver;
  /** When deliveries give way to requests (while this process's event loop is saturated, by default). */
  load?: LoadGauge;
}

/** What a lane keeps between its attempts: the endpoint's secret, opened once. */
interface LaneState {
  secret?: string;
}

/**
 * Delivers webhook events at least once. Claims are leased rows (FOR UPDATE SKIP LOCKED), so instances share the
 * work and a crash only delays a delivery until its lease runs out. Each endpoint's claimed deliveries are tried
 * one after another, in a lane of their own: a slow or dead receiver holds up only its own lane, never another
 * endpoint's; and an endpoint at work on this instance is not claimed for again until its lane is done.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = true;
  private laneEndedWhileClaiming = false;
  private readonly lanes = new Map<string, Promise<void>>();
  private numberedAt = 0;
  /** An endpoint's attempts go one after another, so one connection per endpoint is all a lane uses. */
  private readonly agents = new EndpointAgents(1);
  private readonly load: LoadGauge;

  constructor(
    private readonly orm: Orm,
    private readonly secrets: SecretBox,
    private readonly logger: pino.Logger,
    private readonly options: WebhookDispatcherOptions,
  ) {
    this.load = options.load ?? new EventLoopLoad();
  }

  start(): void {
    this.stopped = false;
    this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    this.timer = null;
    this.laneEndedWhileClaiming = false;
    this.ticking = this.claimAndStart()
      .catch((err: Error) => {
        this.logger.warn({ err: err.message }, 'webhook dispatch failed');
        return 0;
      })
      .then((claimed) => {
        this.ticking = null;
        const again = claimed > 0 || this.laneEndedWhileClaiming;
        this.schedule(again ? this.load.paced(50) : (this.options.intervalMs ?? 500));
      });
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
  }

  /**
   * A lane is done: its endpoint may be claimed for again at once, rather than at the next idle poll, so that a
   * busy endpoint's backlog drains at the pace of its receiver.
   */
  private laneEnded(): void {
    if (this.stopped) return;
    if (this.ticking) this.laneEndedWhileClaiming = true;
    else this.schedule(this.load.paced(0));
  }

  /** Stops claiming and waits for the attempts in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.all(this.lanes.values());
    this.agents.closeAll();
  }

  /** Claims what is due and waits for every attempt (tests, and the bench's measure); returns how many were tried. */
  async drainOnce(): Promise<number> {
    const claimed = await this.claimAndStart(true);
    await Promise.all(this.lanes.values());
    return claimed;
  }

  /**
   * Numbers what committed since, then claims. Numbering is a transaction of its own and numbers every event
   * waiting, so while a backlog drains it runs at most every NUMBERING_INTERVAL_MS rather than before each claim of
   * a few deliveries; a claim that finds nothing numbered numbers at once and claims again.
   */
  private async claimAndStart(numberNow = false): Promise<number> {
    const numbered = await this.numberEvents(numberNow);
    const claimed = await this.claimAndStartNumbered();
    if (claimed || numbered) return claimed;
    await this.numberEvents(true);
    return this.claimAndStartNumbered();
  }

  /** True when it numbered (it was due, or `now`). */
  private async numberEvents(now: boolean): Promise<boolean> {
    if (!now && Date.now() - this.numberedAt < NUMBERING_INTERVAL_MS) return false;
    this.numberedAt = Date.now();
    await inTransaction(this.orm, (tx) => new WebhookDeliveryRepository(tx).numberEvents());
    return true;
  }

  private async claimAndStartNumbered(): Promise<number> {
    this.agents.sweep();
    const repo = new WebhookDeliveryRepository(newUnitOfWork(this.orm));
    const perEndpoint = this.options.perEndpoint ?? 10;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    // The lease outlasts a whole lane (each attempt bounded by the timeout), with room to record the outcomes.
    const lease = Math.ceil((perEndpoint * timeoutMs) / 1000) + 60;
    const rows = await repo.claim(lease, this.options.batchSize ?? 100, perEndpoint, [...this.lanes.keys()]);
    const byEndpoint = new Map<string, ClaimedDelivery[]>();
    // In the order the changes committed: a receiver that keeps up sees each resource's states in order.
    rows.sort((a, b) => (a.sequence < b.sequence ? -1 : a.sequence > b.sequence ? 1 : 0));
    for (const row of rows) byEndpoint.set(row.endpointId, [...(byEndpoint.get(row.endpointId) ?? []), row]);
    for (const [endpointId, deliveries] of byEndpoint) {
      const lane = this.runLane(repo, deliveries)
        .catch((err: Error) => this.logger.warn({ endpointId, err: err.message }, 'webhook lane failed'))
        .finally(() => {
          this.lanes.delete(endpointId);
          this.laneEnded();
        });
      this.lanes.set(endpointId, lane);
    }
    return rows.length;
  }

  private async runLane(repo: WebhookDeliveryRepository, deliveries: ClaimedDelivery[]): Promise<void> {
    const state: LaneState = {};
    // Recorded together: at the lane's end, or before a failure is (which marks the endpoint failing after them).
    const delivered: DeliveredOutcome[] = [];
    const flush = () => repo.markDelivered(deliveries[0].endpointId, delivered.splice(0));
    try {
      for (const [index, delivery] of deliveries.entries()) {
        const outcome = await this.send(delivery, state);
        if (outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300) {
          delivered.push({
            id: delivery.id,
            statusCode: outcome.statusCode,
            durationMs: outcome.durationMs,
            at: new Date(),
          });
          continue;
        }
        await flush();
        await this.recordFailure(repo, delivery, outcome);
        // The receiver is failing: the rest of its batch goes back untried rather than each waiting out a timeout.
        await repo.release(
          deliveries.slice(index + 1).map((d) => d.id),
          retryDelaySeconds(1) ?? 5,
        );
        return;
      }
    } finally {
      await flush();
    }
  }

  /** One attempt: the receiver's status (null when there was no answer) and how long it took. */
  private async send(
    d: ClaimedDelivery,
    state: LaneState,
  ): Promise<{ statusCode: number | null; durationMs: number; error: string | null }> {
    const started = Date.now();
    try {
      const url = new URL(d.url);
      let addresses;
      try {
        addresses = await resolveDeliveryAddresses(url, this.options.allowPrivateNetworks, this.options.resolveName);
      } catch (err) {
        this.agents.release(d.endpointId);
        throw err;
      }
      state.secret ??= this.secrets.open(d.secretCiphertext, d.endpointId);
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'orgd-webhooks/1',
        'webhook-id': d.eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature(state.secret, d.eventId, timestamp, d.body),
      };
      const agent = this.agents.agentFor(d.endpointId, url, addresses);
      const { status } = await postTo(url, agent, headers, d.body, this.options.timeoutMs ?? 10_000);
      return { statusCode: status, durationMs: Date.now() - started, error: null };
    } catch (err) {
      return { statusCode: null, durationMs: Date.now() - started, error: (err as Error).message };
    }
  }

  /** A failed attempt: due again later (or never), and the endpoint failing, or turned off. */
  private async recordFailure(
    repo: WebhookDeliveryRepository,
    d: ClaimedDelivery,
    result: { statusCode: number | null; durationMs: number; error: string | null },
  ): Promise<void> {
    const { statusCode } = result;
    const outcome = {
      statusCode,
      durationMs: result.durationMs,
      error: result.error ?? `the receiver answered ${statusCode}`,
    };
    this.logger.warn(
      { deliveryId: d.id, endpointId: d.endpointId, attempts: d.attempts, ...outcome },
      'webhook not delivered',
    );
    if (statusCode === 410) {
      await repo.markFailed(d.id, outcome, null);
      await this.disable(d, 'the receiver answered 410 Gone');
      return;
    }
    await repo.markFailed(d.id, outcome, (this.options.retryDelay ?? retryDelaySeconds)(d.attempts));
    const failingSince = await repo.noteFailing(d.endpointId);
    const limit = this.options.failingDisableAfterMs ?? WEBHOOK_FAILING_DISABLE_AFTER_MS;
    if (failingSince && Date.now() - failingSince.getTime() >= limit)
      await this.disable(d, 'deliveries failed for 3 days');
  }

  /** Turns the endpoint off and, the one time it happens, tells the owners by e-mail (through the mail outbox). */
  private async disable(d: ClaimedDelivery, reason: string): Promise<void> {
    await inTransaction(this.orm, async (tx) => {
      const repo = new WebhookDeliveryRepository(tx);
      if (!(await repo.disableEndpoint(d.endpointId, reason))) return;
      await notifyCredentialChange(tx, { kind: 'webhooks', organizationId: d.organizationId });
      const url = (await repo.endpointUrl(d.endpointId)) ?? '';
      const outbox = new OutboxRepository(tx);
      for (const recipient of await repo.ownerEmails(d.organizationId)) {
        outbox.enqueue({
          kind: 'WEBHOOK_DISABLED',
          recipient,
          mail: {
            subject: 'A webhook endpoint was turned off',
            text:
              `orgd turned off the webhook endpoint ${url}: ${reason}.\n\n` +
              `Events are kept for it. Once the receiver works again, turn the endpoint back on in ` +
              `${this.options.publicUrl}/ under Settings, Webhooks; the waiting deliveries are then sent.\n`,
          },
        });
      }
    });
    this.agents.release(d.endpointId);
    this.logger.warn({ endpointId: d.endpointId, reason }, 'webhook endpoint turned off');
  }
}
