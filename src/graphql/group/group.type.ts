import { GroupSource } from '../../domain/enums';
import { Field, GraphQLISODateTime, ObjectType } from 'type-graphql';
import { type GroupView } from '../../read-models/group.view';
import { connectionOf } from '../common/connection.type';
import { Node } from '../common/node.type';
import { GroupRoleMappingType } from './group-role-mapping.type';

@ObjectType('Group', {
  simpleResolvers: true,
  implements: Node,
  description: 'A group of members (pushed by SCIM or managed here).',
})
export class GroupNode extends Node {
  @Field(() => String, { description: 'Name of the group.' })
  displayName!: string;

  @Field(() => String, { nullable: true, description: "The identity provider's id for this group." })
  externalId!: string | null;

  @Field(() => GroupSource, { description: 'How the group came to exist: pushed by SCIM, or created here.' })
  source!: GroupSource;

  @Field(() => GroupRoleMappingType, {
    nullable: true,
    description: 'The role the group gives its members whose role comes from groups; null: none.',
  })
  roleMapping!: GroupRoleMappingType | null;

  @Field(() => GraphQLISODateTime, { description: 'When the group was created.' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the group or its membership last changed.' })
  updatedAt!: Date;

  organizationId!: string;

  // Assigned one by one, not Object.assign of a literal: a member page makes one per membership shown.
  static from(g: GroupView): GroupNode {
    const node = new GroupNode();
    node.id = g.id;
    node.organizationId = g.organizationId;
    node.displayName = g.displayName;
    node.externalId = g.externalId;
    node.source = g.source;
    node.roleMapping = g.roleMapping && GroupRoleMappingType.from(g.roleMapping);
    node.createdAt = g.createdAt;
    node.updatedAt = g.updatedAt;
    return node;
  }
}

export const GroupConnection = connectionOf(GroupNode, 'Group', 'groups');
