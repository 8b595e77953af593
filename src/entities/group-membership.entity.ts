import { Entity, Index, ManyToOne, PrimaryKeyProp, Property, OptionalProps } from '@mikro-orm/core';
import { Group } from './group.entity';
import { Member } from './member.entity';

/** Edited only with set-based SQL (see GroupRepository); never by loading a whole group. */
@Entity({ tableName: 'group_membership' })
// By member with the group: a member's groups are read from the index alone.
@Index({ name: 'group_membership_member_idx', properties: ['member', 'group'] })
export class GroupMembership {
  [OptionalProps]?: 'createdAt';

  [PrimaryKeyProp]?: ['group', 'member'];

  @ManyToOne({ entity: () => Group, primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  group!: Group;

  @ManyToOne({ entity: () => Member, primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  member!: Member;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
