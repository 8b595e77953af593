import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Counters of rate-limiter-flexible's PostgreSQL store (its own table layout), shared by every
 * instance of the service. Declared here so that migrations own the table, not the library.
 */
@Entity({ tableName: 'rate_limit' })
export class RateLimit {
  [OptionalProps]?: 'points' | 'expire';

  @PrimaryKey({ type: 'string', length: 255 })
  key!: string;

  @Property({ type: 'integer', default: 0 })
  points: number = 0;

  @Property({ type: 'bigint', nullable: true })
  expire: string | null = null;
}
