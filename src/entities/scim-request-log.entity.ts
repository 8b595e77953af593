import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { ScimKeyStatus } from '../domain/scim-key-rules';
import { Organization } from './organization.entity';

/** One SCIM request as an admin needs to see it when an IdP "doesn't sync". No secrets, no bodies. */
@Entity({ tableName: 'scim_request_log' })
@Index({ name: 'scim_request_log_org_time_idx', properties: ['organization', 'occurredAt', 'id'] })
export class ScimRequestLog {
  [OptionalProps]?: 'occurredAt' | 'client' | 'summary' | 'requestId' | 'apiKeyId' | 'apiKeyHint' | 'apiKeyStatus';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Organization, deleteRule: 'cascade' })
  organization!: Organization;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  occurredAt: Date = new Date();

  @Property({ type: 'string', length: 10 })
  method!: string;

  @Property({ type: 'string', length: 1000 })
  path!: string;

  @Property({ type: 'string', length: 40, nullable: true })
  client: string | null = null;

  @Property({ type: 'integer' })
  status!: number;

  @Property({ type: 'integer' })
  durationMs!: number;

  /** What changed (e.g. "member created 3f..") or the error detail. */
  @Property({ type: 'string', length: 1000, nullable: true })
  summary: string | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  requestId: string | null = null;

  /**
   * The SCIM key the request authenticated with (null when none was accepted): its id (no foreign key: the log
   * outlives rotated keys), its hint, and whether it was the current key or the previous one in a rotation's overlap.
   */
  @Property({ type: 'uuid', nullable: true })
  apiKeyId: string | null = null;

  @Property({ type: 'string', length: 16, nullable: true })
  apiKeyHint: string | null = null;

  @Enum({ items: () => ScimKeyStatus, type: 'string', nullable: true })
  apiKeyStatus: ScimKeyStatus | null = null;
}
