import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { MemberPermissions, MemberRole, MemberSource, MemberStatus, NO_PERMISSIONS, RoleSource } from '../domain/enums';
import { MEMBER_FIELD_LIST, type MemberProfileValues, type OptionalMemberField } from '../domain/member-fields';
import { Organization } from './organization.entity';
import { User } from './user.entity';

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the profile columns' types; the loop below declares them to the ORM
export interface Member extends MemberProfileValues {}

/**
 * One membership of one organization; invitations and SCIM-provisioned people are members too.
 * Uniqueness (case-insensitive email and userName, non-null externalId) is enforced by the database. The profile
 * columns (`email`, `userName`, names, the SCIM and enterprise attributes) are the member field table's
 * (`src/domain/member-fields.ts`), declared by the loop after the class.
 */
@Entity({ tableName: 'member' })
@Index({
  name: 'member_org_email_unique',
  expression: 'create unique index "member_org_email_unique" on "member" ("organization_id", lower("email"))',
})
@Index({
  name: 'member_org_user_name_unique',
  expression: 'create unique index "member_org_user_name_unique" on "member" ("organization_id", lower("user_name"))',
})
@Index({
  name: 'member_org_external_id_unique',
  expression:
    'create unique index "member_org_external_id_unique" on "member" ("organization_id", "external_id") where "external_id" is not null',
})
@Index({ name: 'member_org_created_idx', properties: ['organization', 'createdAt', 'id'] })
@Index({ name: 'member_user_idx', properties: ['user'] })
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class Member {
  [OptionalProps]?:
    | OptionalMemberField
    | 'user'
    | 'role'
    | 'permissions'
    | 'roleSource'
    | 'roleGrantedById'
    | 'status'
    | 'priorStatus'
    | 'revocationReason'
    | 'revocationHeldAt'
    | 'revocationHeldBy'
    | 'revocationHoldReportedAt'
    | 'source'
    | 'invitationTokenHash'
    | 'invitationExpiresAt'
    | 'invitationEmail'
    | 'confirmationKey'
    | 'createdAt'
    | 'updatedAt'
    | 'version';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Organization, deleteRule: 'cascade', updateRule: 'cascade' })
  organization!: Organization;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null', updateRule: 'cascade' })
  user: User | null = null;

  @Enum({ items: () => MemberRole, nativeEnumName: undefined, type: 'string' })
  role: MemberRole = MemberRole.USER;

  @Property({ type: 'json' })
  permissions: MemberPermissions = { ...NO_PERMISSIONS };

  /** Whether `role` is set by hand or follows the group role mappings of the member's groups. */
  @Enum({ items: () => RoleSource, type: 'string' })
  roleSource: RoleSource = RoleSource.MANUAL;

  /**
   * The group whose mapping decided the role (role from groups); null: set by hand, or the default role. A plain id,
   * no foreign key: every change of a mapped group recomputes it in its transaction, and a recompute of thousands
   * of members writes no index and checks no constraint for it.
   */
  @Property({ type: 'uuid', nullable: true })
  roleGrantedById: string | null = null;

  @Enum({ items: () => MemberStatus, type: 'string' })
  status: MemberStatus = MemberStatus.INVITED;

  /** The status to return to on restore. */
  @Enum({ items: () => MemberStatus, type: 'string', nullable: true })
  priorStatus: MemberStatus | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  revocationReason: string | null = null;

  /**
   * "Keep revoked": set when an administrator revoked the member and asked that its identity provider's
   * `active: true` not restore it; only an explicit restore clears it. Null: no hold.
   */
  @Property({ type: 'datetime', nullable: true })
  revocationHeldAt: Date | null = null;

  /** Who set the hold, as the audit trail names an actor (an e-mail address, the CLI). */
  @Property({ type: 'string', length: 320, nullable: true })
  revocationHeldBy: string | null = null;

  /**
   * When the identity provider's first `active: true` against the current hold was audited
   * (`member.restore_held_back`): later ones are not audited again. Cleared whenever a hold is set or lifted.
   */
  @Property({ type: 'datetime', nullable: true })
  revocationHoldReportedAt: Date | null = null;

  @Enum({ items: () => MemberSource, type: 'string' })
  source: MemberSource = MemberSource.INVITE;

  /** sha256 of the invitation token; the token itself only travels in the invitation e-mail. */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true })
  @Index({ name: 'member_invitation_token_idx' })
  invitationTokenHash: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  invitationExpiresAt: Date | null = null;

  /**
   * The address the invitation was mailed to, lower-cased: the token is worth something only while it is still the
   * member's address (a changed address voids it; see invitationStatus).
   */
  @Property({ type: 'string', length: 320, nullable: true })
  invitationEmail: string | null = null;

  /** Opaque key an admin may attach on confirm (e.g. a wrapped organization key). */
  @Property({ type: 'text', nullable: true, hidden: true })
  confirmationKey: string | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'integer', version: true })
  version!: number;
}

for (const field of MEMBER_FIELD_LIST) {
  const column =
    field.type === 'typedValues'
      ? ({ type: 'json', nullable: true } as const)
      : ({ type: 'string', length: field.length, nullable: !field.required } as const);
  Property({ ...column, fieldName: field.column })(Member.prototype, field.id);
}
