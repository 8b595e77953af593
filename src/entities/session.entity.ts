import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { SignInMethod } from '../domain/session-rules';
import { User } from './user.entity';

/** A browser session: the cookie holds the secret, this row only its sha256. Revocable; expiry rules in domain/session-rules. */
@Entity({ tableName: 'session' })
@Index({ name: 'session_user_idx', properties: ['user', 'createdAt'] })
@Index({ name: 'session_parent_token_idx', properties: ['parentTokenId'] })
export class Session {
  [OptionalProps]?: 'userAgent' | 'createdAt' | 'lastSeenAt' | 'revokedAt' | 'parentTokenId' | 'expiresAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'string', length: 64, unique: 'session_hash_unique', hidden: true })
  hash!: string;

  @Enum({ items: () => SignInMethod, type: 'string' })
  method!: SignInMethod;

  @Property({ type: 'string', length: 200, nullable: true })
  userAgent: string | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  lastSeenAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;

  /**
   * The access token the session was opened with (method access_token): revoking it ends the session. A plain id,
   * not a foreign key: lineage is a record, kept when the parent's row is gone.
   */
  @Property({ type: 'uuid', nullable: true })
  parentTokenId: string | null = null;

  /** A hard end set by the parent (the expiry of the access token it was opened with); null: none. */
  @Property({ type: 'datetime', nullable: true })
  expiresAt: Date | null = null;
}
