import { type EntityManager } from '@mikro-orm/postgresql';
import { Group, Member, ScimSettings } from '../entities';

/** An enabled endpoint of an organization and what it subscribed to (null: everything). */
export interface SubscribedEndpoint {
  id: string;
  eventTypes: string[] | null;
}

/** An event to write with the change, and the endpoints it is owed to. */
export interface NewWebhookEvent {
  id: string;
  type: string;
  sequence: number;
  body: string;
  deliveries: { id: string; endpointId: string }[];
}

const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

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
   * Reserves `count` sequence numbers of the organization and returns the first. The counter row stays locked
   * until the transaction ends, so the organization's events are numbered in the order their changes commit.
   */
  async reserveSequence(organizationId: string, count: number): Promise<number> {
    const [row] = await this.em.execute<{ value: string | number }[]>(
      `insert into webhook_sequence (organization_id, value) values (?, ?)
       on conflict (organization_id) do update set value = webhook_sequence.value + excluded.value
       returning value`,
      [organizationId, count],
    );
    return Number(row.value) - count + 1;
  }

  /** Writes the events and their deliveries in one statement (with the caller's transaction). */
  async insert(organizationId: string, events: NewWebhookEvent[]): Promise<void> {
    if (!events.length) return;
    const deliveries = events.flatMap((e) =>
      e.deliveries.map((d) => ({ id: d.id, event_id: e.id, endpoint_id: d.endpointId })),
    );
    await this.em.execute(
      `with e as (
         insert into webhook_event (id, organization_id, type, sequence, body)
         select r.id, ?, r.type, r.sequence, r.body
           from jsonb_to_recordset(?::jsonb) as r(id text, type text, sequence bigint, body text)
         returning id
       )
       insert into webhook_delivery (id, event_id, endpoint_id)
       select r.id, r.event_id, r.endpoint_id from jsonb_to_recordset(?::jsonb) as r(id uuid, event_id text, endpoint_id uuid)`,
      [
        organizationId,
        JSON.stringify(events.map(({ id, type, sequence, body }) => ({ id, type, sequence, body }))),
        JSON.stringify(deliveries),
      ],
      'run',
    );
  }

  /** The members as they are now in this transaction (the change flushed). */
  members(organizationId: string, ids: string[]): Promise<Member[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.em.find(Member, { organization: organizationId, id: { $in: ids } });
  }

  groups(organizationId: string, ids: string[]): Promise<Group[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.em.find(Group, { organization: organizationId, id: { $in: ids } });
  }

  scimSettings(organizationId: string): Promise<ScimSettings | null> {
    return this.em.findOne(ScimSettings, { organization: organizationId });
  }
}
