import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Organization } from './organization.entity';

/** Written in the same transaction as the change it records. Targets are ids, not FKs: the trail outlives rows. */
@Entity({ tableName: 'audit_event' })
@Index({ name: 'audit_event_org_time_idx', properties: ['organization', 'occurredAt', 'id'] })
/**
 * The SCIM deprovisionings that applied (a deactivation through PUT or PATCH, a deletion), by organization and time:
 * what the deprovisioning safeguard counts, in one index range. A deactivation is `member.revoked`; older ones were
 * `member.updated` with `to: REVOKED`, still counted while they are inside a window.
 */
@Index({
  name: 'audit_event_scim_deprovisioning_idx',
  expression:
    'create index "audit_event_scim_deprovisioning_idx" on "audit_event" ("organization_id", "occurred_at") where "actor_kind" = \'SCIM\' and ("type" = \'member.removed\' or "type" = \'member.revoked\' or ("type" = \'member.updated\' and "data" ->> \'to\' = \'REVOKED\'))',
})
/** The event log filtered by who acted (an account, a member) or by source, read by index. */
@Index({
  name: 'audit_event_actor_user_idx',
  expression:
    'create index "audit_event_actor_user_idx" on "audit_event" ("organization_id", "actor_user_id", "occurred_at") where "actor_user_id" is not null',
})
@Index({
  name: 'audit_event_actor_member_idx',
  expression:
    'create index "audit_event_actor_member_idx" on "audit_event" ("organization_id", "actor_member_id", "occurred_at") where "actor_member_id" is not null',
})
@Index({ name: 'audit_event_org_kind_time_idx', properties: ['organization', 'actorKind', 'occurredAt', 'id'] })
export class AuditEvent {
  [OptionalProps]?:
    | 'actorUserId'
    | 'actorMemberId'
    | 'actorApiKeyId'
    | 'actorProvider'
    | 'targetType'
    | 'targetId'
    | 'data'
    | 'requestId'
    | 'clientRequestId'
    | 'occurredAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Organization, deleteRule: 'cascade' })
  organization!: Organization;

  @Property({ type: 'string', length: 100 })
  type!: string;

  /** USER, SCIM, CLI or SYSTEM. */
  @Property({ type: 'string', length: 20 })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorUserId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  actorMemberId: string | null = null;

  /** The SCIM key a SCIM actor authenticated with (an id, not a FK: the key may be rotated away). */
  @Property({ type: 'uuid', nullable: true })
  actorApiKeyId: string | null = null;

  /** The identity provider the organization configured for that SCIM key. */
  @Property({ type: 'string', length: 40, nullable: true })
  actorProvider: string | null = null;

  @Property({ type: 'string', length: 40, nullable: true })
  targetType: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  @Index({ name: 'audit_event_target_idx' })
  targetId: string | null = null;

  @Property({ type: 'json', nullable: true })
  data: Record<string, unknown> | null = null;

  /** The server's own request id. */
  @Property({ type: 'string', length: 100, nullable: true })
  requestId: string | null = null;

  /** The caller's X-Request-Id, kept beside the server's id for correlation with the caller's logs. */
  @Property({ type: 'string', length: 100, nullable: true })
  clientRequestId: string | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  occurredAt: Date = new Date();
}
