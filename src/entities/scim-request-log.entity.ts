import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { ScimKeyStatus } from '../domain/scim-key-rules';
import { Organization } from './organization.entity';

/** One SCIM request as an admin needs to see it when an IdP "doesn't sync". No secrets, no bodies. */
@Entity({ tableName: 'scim_request_log' })
@Index({ name: 'scim_request_log_org_time_idx', properties: ['organization', 'occurredAt', 'id'] })
/** A member's or group's own requests, newest last: its last provisioning and last error in one index range. */
@Index({
  name: 'scim_request_log_target_idx',
  expression:
    'create index "scim_request_log_target_idx" on "scim_request_log" ("organization_id", "target_id", "occurred_at") where "target_id" is not null',
})
export class ScimRequestLog {
  [OptionalProps]?:
    | 'occurredAt'
    | 'client'
    | 'summary'
    | 'requestId'
    | 'apiKeyId'
    | 'apiKeyHint'
    | 'apiKeyStatus'
    | 'targetType'
    | 'targetId'
    | 'warning'
    | 'keyProvider';

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

  /**
   * The provider the organization had configured for the key that authenticated the request (the client an admin
   * names, "JumpCloud"); null when no key was accepted.
   */
  @Property({ type: 'string', length: 40, nullable: true })
  keyProvider: string | null = null;

  /** What the request concerned: 'member' or 'group' and its id (no foreign key: the log outlives deletions). */
  @Property({ type: 'string', length: 10, nullable: true })
  targetType: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  targetId: string | null = null;

  /** Set on a success that still left something undone (members skipped, a deprovisioning held). */
  @Property({ type: 'string', length: 1000, nullable: true })
  warning: string | null = null;
}
