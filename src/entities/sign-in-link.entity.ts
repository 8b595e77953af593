import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { User } from './user.entity';

/** A one-time e-mail sign-in link: the e-mail holds the token, this row only its sha256. Consumed atomically. */
@Entity({ tableName: 'sign_in_link' })
@Index({ name: 'sign_in_link_user_idx', properties: ['user', 'expiresAt'] })
export class SignInLink {
  [OptionalProps]?: 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'string', length: 64, unique: 'sign_in_link_hash_unique', hidden: true })
  hash!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt: Date | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
