import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { Organization } from './organization.entity';

/** Written in the same transaction as the change it records. Targets are ids, not FKs: the trail outlives rows. */
@Entity({ tableName: 'audit_event' })
@Index({ name: 'audit_event_org_time_idx', properties: ['organization', 'occurredAt', 'id'] })
export class AuditEvent {
  [OptionalProps]?: 'actorUserId' | 'actorMemberId' | 'targetType' | 'targetId' | 'data' | 'requestId' | 'occurredAt';

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

  @Property({ type: 'string', length: 40, nullable: true })
  targetType: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  @Index({ name: 'audit_event_target_idx' })
  targetId: string | null = null;

  @Property({ type: 'json', nullable: true })
  data: Record<string, unknown> | null = null;

  @Property({ type: 'string', length: 100, nullable: true })
  requestId: string | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  occurredAt: Date = new Date();
}
