import { type EntityClass, type FilterQuery } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import { Group, Member, ScimSettings } from '../entities';
import { preparedRows } from './prepared';

/** An enabled endpoint of an organization and what it subscribed to (null: everything). */
export interface SubscribedEndpoint {
  id: string;
  eventTypes: string[] | null;
}

/**
 * Stands for the event's sequence number in a body until the dispatcher numbers the event:
 * `"sequence":"$sequence$"` becomes `"sequence":42`.
 */
export const SEQUENCE_PLACEHOLDER = '$sequence$';
export const SEQUENCE_SLOT = `"sequence":"${SEQUENCE_PLACEHOLDER}"`;

/**
 * An event to write with the change, its body holding SEQUENCE_PLACEHOLDER. Its deliveries are not written with it:
 * the dispatcher adds one per subscribed endpoint when it numbers the event (WebhookDeliveryRepository.numberEvents).
 */
export interface NewWebhookEvent {
  id: string;
  type: string;
  body: string;
}

const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * The part of a statement that writes an organization's events (their bodies holding SEQUENCE_PLACEHOLDER), as a
 * common table expression (`webhook_events`) to list in a WITH clause; its values are webhookEventValues, in
 * placeholder order. A write that stores its change in one statement (the SCIM create) adds it to that statement.
 * `onlyWith`, the name of another expression of the statement: nothing is written unless it wrote a row. `one`: the
 * text for exactly one event, whose values are bound as they are (most writes announce one event: its body is then
 * neither encoded into a JSON array nor parsed out of one). The text depends on nothing else: callers build their
 * statements once.
 */
export function webhookEventCtes(onlyWith: string | null, one: boolean): string {
  const gate = onlyWith ? `where exists (select 1 from ${onlyWith})` : '';
  const rows = one
    ? '(values (1, ?::text, ?::text, ?::text)) as r(ord, id, type, body)'
    : 'jsonb_to_recordset(?::jsonb) as r(ord int, id text, type text, body text)';
  return `webhook_events as (
         insert into webhook_event (id, organization_id, type, body)
         select r.id, ?, r.type, r.body from ${rows}
          ${gate}
          order by r.ord
       )`;
}

/** The values of webhookEventCtes (`one` when there is exactly one event), in placeholder order. */
export function webhookEventValues(organizationId: string, events: NewWebhookEvent[]): unknown[] {
  if (events.length === 1) return [organizationId, events[0].id, events[0].type, events[0].body];
  return [
    organizationId,
    JSON.stringify(events.map(({ id, type, body }, index) => ({ ord: index + 1, id, type, body }))),
  ];
}

/** The events, and nothing else: one statement of the change's transaction. */
const EVENT_INSERT = `with ${webhookEventCtes(null, false)} select 1`;
const ONE_EVENT_INSERT = `with ${webhookEventCtes(null, true)} select 1`;

/** One event with its one delivery, to the endpoint it is addressed to (a test event): numbering adds no other. */
const ADDRESSED_EVENT_INSERT = `with e as (
         insert into webhook_event (id, organization_id, type, body) values (?, ?, ?, ?) returning id
       )
       insert into webhook_delivery (id, event_id, endpoint_id) select ?, e.id, ? from e`;

/** The write side of the webhook outbox: events and their deliveries, in the transaction of the change. */
export class WebhookOutboxRepository {
  constructor(private readonly em: EntityManager) {}

  /** One indexed read per write that audits anything; most organizations have no endpoint and stop here. */
  async subscribedEndpoints(organizationId: string): Promise<SubscribedEndpoint[]> {
    const rows = await this.em.execute<{ id: string; event_types: unknown }[]>(
      'select id, event_types from webhook_endpoint where organization_id = ? and enabled',
      [organizationId],
    );
    return rows.map((row) => ({ id: row.id, eventTypes: parseJson<string[] | null>(row.event_types) }));
  }

  /**
   * Writes the events (their bodies holding SEQUENCE_PLACEHOLDER) in one statement of the caller's transaction. Each
   * takes its place in the global write order (`ord`, in the given order); once committed, the dispatcher numbers
   * them and adds their deliveries (WebhookDeliveryRepository.numberEvents). Numbering here would lock a
   * per-organization counter until the transaction ends, and the organization's concurrent writes would commit one
   * at a time.
   */
  async insert(organizationId: string, events: NewWebhookEvent[]): Promise<void> {
    if (!events.length) return;
    // Prepared: the bodies travel as bound values, not formatted into the statement's text on every write.
    const text = events.length === 1 ? ONE_EVENT_INSERT : EVENT_INSERT;
    await preparedRows(this.em, text, webhookEventValues(organizationId, events));
  }

  /** An event owed to one endpoint only (a test event), written with its delivery: no other endpoint gets it. */
  async insertAddressed(
    organizationId: string,
    event: NewWebhookEvent,
    delivery: { id: string; endpointId: string },
  ): Promise<void> {
    await this.em.execute(
      ADDRESSED_EVENT_INSERT,
      [event.id, organizationId, event.type, event.body, delivery.id, delivery.endpointId],
      'run',
    );
  }

  /**
   * The members as they are now in this transaction (the change flushed): those the write loaded or created come
   * from its identity map, without a query; the others are read.
   */
  members(organizationId: string, ids: string[]): Promise<Member[]> {
    return this.current(Member, organizationId, ids);
  }

  groups(organizationId: string, ids: string[]): Promise<Group[]> {
    return this.current(Group, organizationId, ids);
  }

  private async current<T extends Member | Group>(
    entity: EntityClass<T>,
    organizationId: string,
    ids: string[],
  ): Promise<T[]> {
    const uow = this.em.getUnitOfWork();
    const known = ids
      .map((id) => uow.getById<T>(entity.name, id as never))
      .filter((row): row is T => row !== undefined && row.organization.id === organizationId);
    const missing = ids.filter((id) => !known.some((row) => row.id === id));
    if (!missing.length) return known;
    const read = await this.em.find(entity, { organization: organizationId, id: { $in: missing } } as FilterQuery<T>);
    return [...known, ...read];
  }

  scimSettings(organizationId: string): Promise<ScimSettings | null> {
    return this.em.findOne(ScimSettings, { organization: organizationId });
  }
}
