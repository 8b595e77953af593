import { Field, ID, ObjectType } from 'type-graphql';
import { MemberNode } from './member.type';
import { UserError } from '../common/user-error.type';

@ObjectType('MemberResult', { description: 'The outcome of a bulk mutation for one member.' })
export class MemberResult {
  @Field(() => ID, { description: 'The member id as given in the input.' })
  memberId!: string;

  @Field(() => MemberNode, {
    nullable: true,
    description: 'The member after the change; null when it failed or the member was removed.',
  })
  member!: MemberNode | null;

  @Field(() => [UserError], { description: 'Why the change did not happen for this member; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('MembersPayload', {
  description: 'Result of a bulk member mutation: one result per member, in input order.',
})
export class MembersPayload {
  @Field(() => [MemberResult], { description: 'One result per member id given.' })
  results!: MemberResult[];

  @Field(() => [UserError], { description: 'All failures of the call; `field` names the input item.' })
  userErrors!: UserError[];
}

@ObjectType('InvitationResult', { description: 'The outcome of membersInvite for one e-mail address.' })
export class InvitationResult {
  @Field(() => String, { description: 'The e-mail address as given.' })
  email!: string;

  @Field(() => MemberNode, { nullable: true, description: 'The invited member; null when the invitation failed.' })
  member!: MemberNode | null;

  @Field(() => [UserError], { description: 'Why this address was not invited; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('MembersInvitePayload', {
  description: 'Result of membersInvite: one result per e-mail address, in input order.',
})
export class MembersInvitePayload {
  @Field(() => [InvitationResult], { description: 'One result per e-mail address given.' })
  results!: InvitationResult[];

  @Field(() => [UserError], { description: 'All failures of the call; `field` names the input item.' })
  userErrors!: UserError[];
}

@ObjectType('MemberPayload', { description: 'Result of a mutation on one member.' })
export class MemberPayload {
  @Field(() => MemberNode, { nullable: true, description: 'The member after the change; null when it failed.' })
  member!: MemberNode | null;

  @Field(() => [UserError], { description: 'Why the change did not happen; empty on success.' })
  userErrors!: UserError[];
}
