import { Entity, Index, ManyToOne, PrimaryKey, Property, OptionalProps, Unique } from '@mikro-orm/core';
import { Organization } from './organization.entity';

/**
 * One change event, written in the transaction of the change (the outbox). The body is stored as the exact text
 * that is signed and sent, so every attempt carries the same bytes under the same `webhook-id` (the id).
 */
@Entity({ tableName: 'webhook_event' })
@Unique({ name: 'webhook_event_org_sequence_unique', properties: ['organization', 'sequence'] })
/** The events the dispatcher has yet to number, in the order they were written. */
@Index({
  name: 'webhook_event_unnumbered_idx',
  expression: 'create index "webhook_event_unnumbered_idx" on "webhook_event" ("ord") where "sequence" is null',
})
export class WebhookEvent {
  [OptionalProps]?: 'createdAt' | 'ord' | 'sequence';

  /** `msg_` + a random id: the `webhook-id` header. */
  @PrimaryKey({ type: 'string', length: 64 })
  id!: string;

  @ManyToOne({ entity: () => Organization, deleteRule: 'cascade' })
  organization!: Organization;

  @Property({ type: 'string', length: 60 })
  type!: string;

  /**
   * Increases per organization, in the order the changes were made to the rows they touched. Null until the
   * dispatcher numbers the event (before any attempt to deliver it); see WebhookDeliveryRepository.numberEvents.
   */
  @Property({ type: 'bigint', nullable: true })
  sequence: string | null = null;

  /** The event's place in the order events were written (a global sequence), in which they are numbered. */
  @Property({ type: 'bigint', autoincrement: true })
  ord!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  @Index({ name: 'webhook_event_created_idx' })
  createdAt: Date = new Date();
}
