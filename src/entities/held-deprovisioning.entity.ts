import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { HeldDeprovisioningAction, HeldDeprovisioningStatus } from '../domain/deprovisioning-safeguard';
import { Member } from './member.entity';
import { Organization } from './organization.entity';

/**
 * A SCIM deprovisioning (deactivation or deletion) that arrived past the organization's safeguard threshold: kept,
 * not applied, until someone applies or discards it. At most one HELD row per member and action, so an identity
 * provider resending the same request joins the hold it already has.
 */
@Entity({ tableName: 'held_deprovisioning' })
@Index({ name: 'held_deprovisioning_org_idx', properties: ['organization', 'status', 'requestedAt', 'id'] })
@Index({
  name: 'held_deprovisioning_member_action_held_unique',
  expression:
    'create unique index "held_deprovisioning_member_action_held_unique" on "held_deprovisioning" ("member_id", "action") where "status" = \'HELD\'',
})
export class HeldDeprovisioning {
  [OptionalProps]?:
    | 'member'
    | 'status'
    | 'requestedAt'
    | 'requestId'
    | 'clientRequestId'
    | 'apiKeyHint'
    | 'resolvedAt'
    | 'resolvedByMemberId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Organization, deleteRule: 'cascade' })
  organization!: Organization;

  /** The member the identity provider asked to deprovision; null once that member is removed (the row stays as history). */
  @ManyToOne({ entity: () => Member, deleteRule: 'set null', nullable: true })
  member: Member | null = null;

  /** The member's address when the request arrived (the list and the history name the person by it). */
  @Property({ type: 'string', length: 320 })
  memberEmail!: string;

  @Enum({ items: () => HeldDeprovisioningAction, type: 'string' })
  action!: HeldDeprovisioningAction;

  @Enum({ items: () => HeldDeprovisioningStatus, type: 'string' })
  status: HeldDeprovisioningStatus = HeldDeprovisioningStatus.HELD;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  requestedAt: Date = new Date();

  /** The server's id of the SCIM request that asked for it. */
  @Property({ type: 'string', length: 100, nullable: true })
  requestId: string | null = null;

  /** The identity provider's own X-Request-Id, for finding the request on its side. */
  @Property({ type: 'string', length: 100, nullable: true })
  clientRequestId: string | null = null;

  /** The last characters of the SCIM key the request used. */
  @Property({ type: 'string', length: 16, nullable: true })
  apiKeyHint: string | null = null;

  /** When it was applied or discarded. */
  @Property({ type: 'datetime', nullable: true })
  resolvedAt: Date | null = null;

  /** Who applied or discarded it (a member id; null for an operator). */
  @Property({ type: 'uuid', nullable: true })
  resolvedByMemberId: string | null = null;
}
