import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { OutboxStatus } from '../domain/enums';
import { Organization } from './organization.entity';

export interface OutboxMail {
  subject: string;
  text: string;
  html?: string;
}

/** An e-mail written in the transaction that caused it and sent later by the dispatcher (at least once). */
@Entity({ tableName: 'outbox_message' })
@Index({ name: 'outbox_pending_idx', properties: ['status', 'nextAttemptAt'] })
export class OutboxMessage {
  [OptionalProps]?:
    'organization' | 'memberId' | 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'createdAt' | 'sentAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The organization the mail is about; null for account mail (sign-in links). */
  @ManyToOne({ entity: () => Organization, nullable: true, deleteRule: 'cascade' })
  organization: Organization | null = null;

  @Property({ type: 'uuid', nullable: true })
  memberId: string | null = null;

  @Property({ type: 'string', length: 40 })
  kind!: string;

  @Property({ type: 'string', length: 320 })
  recipient!: string;

  @Property({ type: 'json', hidden: true })
  mail!: OutboxMail;

  @Enum({ items: () => OutboxStatus, type: 'string' })
  status: OutboxStatus = OutboxStatus.PENDING;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  nextAttemptAt: Date = new Date();

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  sentAt: Date | null = null;
}
