import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { GroupSource, type MemberPermissions, MemberRole } from '../domain/enums';
import { Organization } from './organization.entity';

@Entity({ tableName: 'member_group' })
@Index({
  name: 'group_org_external_id_unique',
  expression:
    'create unique index "group_org_external_id_unique" on "member_group" ("organization_id", "external_id") where "external_id" is not null',
})
@Index({
  name: 'group_org_display_name_idx',
  expression: 'create index "group_org_display_name_idx" on "member_group" ("organization_id", lower("display_name"))',
})
@Index({ name: 'group_org_created_idx', properties: ['organization', 'createdAt', 'id'] })
export class Group {
  [OptionalProps]?:
    'externalId' | 'source' | 'mappedRole' | 'mappedPermissions' | 'createdAt' | 'updatedAt' | 'version';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Organization, deleteRule: 'cascade', updateRule: 'cascade' })
  organization!: Organization;

  @Property({ type: 'string', length: 400 })
  displayName!: string;

  @Property({ type: 'string', length: 400, nullable: true })
  externalId: string | null = null;

  /** Who created the group: an identity provider's groups are shown as SCIM-managed in the console. */
  @Enum({ items: () => GroupSource, type: 'string' })
  source: GroupSource = GroupSource.MANUAL;

  /** The role this group's members get when their role comes from groups (never OWNER); null: no mapping. */
  @Enum({ items: () => MemberRole, type: 'string', nullable: true })
  mappedRole: MemberRole | null = null;

  /** The flags a CUSTOM mapping gives. */
  @Property({ type: 'json', nullable: true })
  mappedPermissions: MemberPermissions | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'integer', version: true })
  version!: number;
}
