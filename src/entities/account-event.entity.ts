import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { User } from './user.entity';

/**
 * What happened to an account (access tokens created or revoked, sign-ins, OIDC binding), readable by the account
 * alone. Written in the same transaction as the change it records.
 */
@Entity({ tableName: 'account_event' })
@Index({ name: 'account_event_user_time_idx', properties: ['user', 'createdAt', 'id'] })
export class AccountEvent {
  [OptionalProps]?: 'details' | 'requestId' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: User;

  /** e.g. account.token_created, account.token_revoked, account.signed_in, account.oidc_linked. */
  @Property({ type: 'string', length: 100 })
  type!: string;

  /** Never a secret: token ids and names, the sign-in method, the issuer. */
  @Property({ type: 'json', nullable: true })
  details: Record<string, unknown> | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  requestId: string | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
