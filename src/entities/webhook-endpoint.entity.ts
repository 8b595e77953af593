import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Organization } from './organization.entity';

/** Where an organization's change events are sent (Standard Webhooks), with the secret that signs them. */
@Entity({ tableName: 'webhook_endpoint' })
@Index({ name: 'webhook_endpoint_org_idx', properties: ['organization', 'createdAt'] })
export class WebhookEndpoint {
  [OptionalProps]?:
    'description' | 'eventTypes' | 'enabled' | 'disabledReason' | 'failingSince' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Organization, deleteRule: 'cascade' })
  organization!: Organization;

  @Property({ type: 'text' })
  url!: string;

  /** The event types sent to this endpoint; null for all of them. */
  @Property({ type: 'json', nullable: true })
  eventTypes: string[] | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  description: string | null = null;

  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  /**
   * The signing secret, encrypted with the server's key (AES-256-GCM): it must be readable to sign with (HMAC), so
   * it cannot be a hash like the other credentials. Never rendered; shown in clear once, when it is made.
   */
  @Property({ type: 'text', hidden: true, lazy: true })
  secretCiphertext!: string;

  /** Why the server turned the endpoint off (410 Gone, failing for days); null when enabled or turned off by hand. */
  @Property({ type: 'string', length: 200, nullable: true })
  disabledReason: string | null = null;

  /** When the current run of failed attempts began; null while deliveries succeed. */
  @Property({ type: 'datetime', nullable: true })
  failingSince: Date | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
