import { Entity, OneToOne, Property } from '@mikro-orm/core';
import { Organization } from './organization.entity';

/**
 * The last webhook event sequence number of an organization, advanced by the dispatcher as it numbers events. A row
 * of its own (not a column of the organization) so that numbering never contends with the organization row's locks.
 */
@Entity({ tableName: 'webhook_sequence' })
export class WebhookSequence {
  @OneToOne({ entity: () => Organization, primary: true, deleteRule: 'cascade', owner: true })
  organization!: Organization;

  @Property({ type: 'bigint', default: 0 })
  value!: string;
}
