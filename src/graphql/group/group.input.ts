import { ArrayMaxSize, ArrayMinSize, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MAX_BULK } from '../member/member.input';

@InputType('GroupCreateInput', { description: 'A new group, optionally with its first members.' })
export class GroupCreateInput {
  @Field(() => ID, { description: 'The organization of the group.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => String, { description: 'Name of the group.' })
  @MinLength(1)
  @MaxLength(400)
  displayName!: string;

  @Field(() => String, { nullable: true, description: "The identity provider's id for the group." })
  @MaxLength(400)
  externalId?: string;

  @Field(() => [ID], { nullable: true, description: 'Members to put in the group (up to 100).' })
  @ArrayMaxSize(MAX_BULK)
  @IsUUID('all', { each: true })
  memberIds?: string[];
}

@InputType('GroupUpdateInput', { description: 'Rename a group or change its externalId.' })
export class GroupUpdateInput {
  @Field(() => ID, { description: 'The organization of the group.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The group.' })
  @IsUUID('all')
  groupId!: string;

  @Field(() => String, { nullable: true, description: 'New name.' })
  @MinLength(1)
  @MaxLength(400)
  displayName?: string;

  @Field(() => String, { nullable: true, description: 'New externalId; an empty string clears it.' })
  @MaxLength(400)
  externalId?: string;
}

@InputType('GroupDeleteInput', { description: 'Delete a group (its members stay in the organization).' })
export class GroupDeleteInput {
  @Field(() => ID, { description: 'The organization of the group.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The group.' })
  @IsUUID('all')
  groupId!: string;
}

@InputType('GroupMembersInput', { description: 'Members to add to or remove from one group.' })
export class GroupMembersInput {
  @Field(() => ID, { description: 'The organization of the group.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The group.' })
  @IsUUID('all')
  groupId!: string;

  @Field(() => [ID], { description: 'Member ids (1 to 100).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK)
  @IsUUID('all', { each: true })
  memberIds!: string[];
}
