import { Field, ID, ObjectType } from 'type-graphql';
import { UserError } from '../common/user-error.type';
import { GroupNode } from './group.type';

@ObjectType('GroupPayload', { description: 'Result of a mutation on one group.' })
export class GroupPayload {
  @Field(() => GroupNode, { nullable: true, description: 'The group after the change; null when it failed.' })
  group!: GroupNode | null;

  @Field(() => [UserError], { description: 'Why the change did not happen; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('GroupDeletePayload', { description: 'Result of groupDelete.' })
export class GroupDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted group; null when it failed.' })
  deletedGroupId!: string | null;

  @Field(() => [UserError], { description: 'Why the group was not deleted; empty on success.' })
  userErrors!: UserError[];
}
