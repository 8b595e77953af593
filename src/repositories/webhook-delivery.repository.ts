import { type EntityManager } from '@mikro-orm/postgresql';
import { MemberRole, MemberStatus, WebhookDeliveryStatus } from '../domain/enums';
import { uuidArray } from '../domain/ids';
import { textArray } from './selection';
import { SEQUENCE_SLOT } from './webhook-outbox.repository';

// Held by the transaction that numbers events, so that instances never number the same events twice.
const NUMBERING_LOCK_KEY = 7_261_105;

/** A delivery claimed for one attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  endpointId: string;
  organizationId: string;
  url: string;
  secretCiphertext: string;
  eventId: string;
  /** The event's number in its organization: an endpoint's claimed deliveries are attempted in this order. */
  sequence: bigint;
  body: string;
}

/** One delivered attempt's outcome. */
export interface DeliveredOutcome {
  id: string;
  statusCode: number;
  durationMs: number;
  at: Date;
}

interface ClaimedRow {
  id: string;
  attempts: number;
  endpoint_id: string;
  organization_id: string;
  url: string;
  secret_ciphertext: string;
  event_id: string;
  sequence: string;
  body: string;
}

/** The dispatcher's side of the webhook outbox: claims, outcomes, and what a failing endpoint comes to. */
export class WebhookDeliveryRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Numbers the committed events not numbered yet, each organization's after its last number, in the order they were
   * written (`ord`), writes the number into each body, and adds each event's deliveries: one per endpoint of its
   * organization that is enabled and subscribes to its type, unless it came with its own (a test event, addressed to
   * one endpoint). Runs in a transaction of its own, by one instance at a time: false when another instance is at it
   * (it numbers these too). An event is numbered before any of its deliveries is claimed; two changes of one row are
   * written, so numbered, in the order they committed (the later waited for the earlier's row lock), and a pass sees
   * a change only with every change committed before it.
   *
   * The deliveries are added here rather than by the change: the change's statement writes one row less, and takes
   * no lock on the endpoint's row (a foreign-key check from every concurrent write of the organization). An endpoint
   * added or removed in the moment between a change's commit and its numbering is counted as it is at numbering.
   */
  async numberEvents(): Promise<boolean> {
    const [lock] = await this.em.execute<{ held: boolean }[]>('select pg_try_advisory_xact_lock(?) as held', [
      NUMBERING_LOCK_KEY,
    ]);
    if (!lock.held) return false;
    // A statement of its own after the lock: its snapshot includes whatever the previous holder numbered.
    await this.em.execute(
      `with pending as (
         select id, organization_id, type, created_at,
                row_number() over (partition by organization_id order by ord) as n
           from webhook_event where sequence is null
       ), counts as (
         select organization_id, count(*) as k from pending group by organization_id
       ), reserved as (
         insert into webhook_sequence (organization_id, value) select organization_id, k from counts
         on conflict (organization_id) do update set value = webhook_sequence.value + excluded.value
         returning organization_id, value
       ), numbered as (
         select p.id, r.value - c.k + p.n as seq
           from pending p
           join counts c on c.organization_id = p.organization_id
           join reserved r on r.organization_id = p.organization_id
       ), deliveries as (
         -- The endpoints that subscribe to the type: the rule of subscribes() (domain/webhook-events), in SQL.
         insert into webhook_delivery (id, event_id, endpoint_id, created_at)
         select gen_random_uuid(), p.id, ep.id, p.created_at
           from pending p
           join webhook_endpoint ep on ep.organization_id = p.organization_id and ep.enabled
                and (ep.event_types is null or ep.event_types @> jsonb_build_array(p.type))
          where not exists (select 1 from webhook_delivery own where own.event_id = p.id)
       )
       update webhook_event e
          set sequence = x.seq,
              body = overlay(e.body placing '"sequence":' || x.seq from strpos(e.body, ?) for length(?))
         from numbered x
        where e.id = x.id`,
      [SEQUENCE_SLOT, SEQUENCE_SLOT],
      'run',
    );
    return true;
  }

  /**
   * Claims due deliveries of enabled endpoints (of numbered events only), at most `perEndpoint` of each and none of
   * `busyEndpointIds` (this instance's endpoints still at work): FOR UPDATE SKIP LOCKED, so instances share the work,
   * and leased by pushing next_attempt_at forward, so a crash mid-attempt only delays a delivery until the lease runs
   * out. Each endpoint's earliest due deliveries are read from the due index (endpoint, next attempt) and the scan
   * stops at `perEndpoint`: a long backlog is not ranked whole at every claim.
   */
  async claim(
    leaseSeconds: number,
    limit: number,
    perEndpoint: number,
    busyEndpointIds: string[],
  ): Promise<ClaimedDelivery[]> {
    const rows = await this.em.execute<ClaimedRow[]>(
      `update webhook_delivery d set attempts = d.attempts + 1, next_attempt_at = now() + (? * interval '1 second')
         from webhook_event e, webhook_endpoint ep
        where d.id in (
                select due.id from webhook_endpoint ep2
                cross join lateral (
                  select d2.id, d2.next_attempt_at from webhook_delivery d2
                    join webhook_event e2 on e2.id = d2.event_id and e2.sequence is not null
                   where d2.endpoint_id = ep2.id and d2.status = 'PENDING' and d2.next_attempt_at <= now()
                   order by d2.next_attempt_at, d2.id
                   limit ? for update of d2 skip locked
                ) due
                where ep2.enabled and not (ep2.id = any(?::uuid[]))
                order by due.next_attempt_at limit ?)
          and e.id = d.event_id and ep.id = d.endpoint_id
       returning d.id, d.attempts, d.endpoint_id, ep.organization_id, ep.url, ep.secret_ciphertext, e.id as event_id, e.sequence, e.body`,
      [leaseSeconds, perEndpoint, uuidArray(busyEndpointIds), limit],
    );
    return rows.map((r) => ({
      id: r.id,
      attempts: r.attempts,
      endpointId: r.endpoint_id,
      organizationId: r.organization_id,
      url: r.url,
      secretCiphertext: r.secret_ciphertext,
      eventId: r.event_id,
      sequence: BigInt(r.sequence),
      body: r.body,
    }));
  }

  /**
   * 2xx answers: delivered, and the endpoint is no longer failing. A lane's deliveries in one statement (one round
   * trip, one commit), each with its own outcome and time.
   */
  async markDelivered(endpointId: string, outcomes: DeliveredOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    await this.em.execute(
      `with delivered as (
         update webhook_delivery d set status = ?, delivered_at = v.at, last_status_code = v.code,
           last_duration_ms = v.ms, last_error = null
           from (select unnest(?::uuid[]) as id, unnest(?::int[]) as code, unnest(?::int[]) as ms,
                        unnest(?::timestamptz[]) as at) v
          where d.id = v.id
       )
       update webhook_endpoint set failing_since = null where id = ? and failing_since is not null`,
      [
        WebhookDeliveryStatus.DELIVERED,
        uuidArray(outcomes.map((o) => o.id)),
        `{${outcomes.map((o) => Math.trunc(o.statusCode)).join(',')}}`,
        `{${outcomes.map((o) => Math.trunc(o.durationMs)).join(',')}}`,
        textArray(outcomes.map((o) => o.at.toISOString())),
        endpointId,
      ],
      'run',
    );
  }

  /** A failed attempt: due again in `retryInSeconds`, or FAILED for good when null. */
  async markFailed(
    id: string,
    outcome: { statusCode: number | null; durationMs: number; error: string },
    retryInSeconds: number | null,
  ): Promise<void> {
    await this.em.execute(
      `update webhook_delivery set status = ?, last_status_code = ?, last_duration_ms = ?, last_error = ?,
         next_attempt_at = now() + (? * interval '1 second') where id = ?`,
      [
        retryInSeconds === null ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING,
        outcome.statusCode,
        outcome.durationMs,
        outcome.error.slice(0, 500),
        retryInSeconds ?? 0,
        id,
      ],
    );
  }

  /** Hands claimed deliveries back untried (their endpoint just failed): due after `delaySeconds`, attempt uncounted. */
  async release(ids: string[], delaySeconds: number): Promise<void> {
    if (!ids.length) return;
    await this.em.execute(
      `update webhook_delivery set attempts = attempts - 1, next_attempt_at = now() + (? * interval '1 second')
        where id = any(?::uuid[])`,
      [delaySeconds, uuidArray(ids)],
    );
  }

  /** Notes a failure on the endpoint; returns since when it has been failing without a success. */
  async noteFailing(endpointId: string): Promise<Date | null> {
    const [row] = await this.em.execute<{ failing_since: Date | string }[]>(
      `update webhook_endpoint set failing_since = coalesce(failing_since, now()) where id = ? returning failing_since`,
      [endpointId],
    );
    return row ? new Date(row.failing_since) : null;
  }

  /** Turns the endpoint off; true only for the call that did (so its owners are told once). */
  async disableEndpoint(endpointId: string, reason: string): Promise<boolean> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update webhook_endpoint set enabled = false, disabled_reason = ?, updated_at = now()
        where id = ? and enabled returning id`,
      [reason, endpointId],
    );
    return rows.length > 0;
  }

  /** The addresses of the organization's confirmed owners (who hear of an endpoint turned off). */
  async ownerEmails(organizationId: string): Promise<string[]> {
    const rows = await this.em.execute<{ email: string }[]>(
      'select email from member where organization_id = ? and role = ? and status = ?',
      [organizationId, MemberRole.OWNER, MemberStatus.CONFIRMED],
    );
    return rows.map((r) => r.email);
  }

  /** The endpoint's URL (for the owners' e-mail). */
  async endpointUrl(endpointId: string): Promise<string | null> {
    const [row] = await this.em.execute<{ url: string }[]>('select url from webhook_endpoint where id = ?', [
      endpointId,
    ]);
    return row?.url ?? null;
  }
}
