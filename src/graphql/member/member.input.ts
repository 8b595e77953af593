import { ArrayMaxSize, ArrayMinSize, IsEmail, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MemberRole } from '../../domain/enums';
import '../common/enums';

export const MAX_BULK = 100;

@InputType('MemberPermissionsInput', { description: 'Permission flags to set; omitted flags keep their value.' })
export class MemberPermissionsInput {
  @Field(() => Boolean, { nullable: true, description: 'Invite, confirm, revoke, restore, remove and edit members.' })
  manageUsers?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Create, edit and delete groups and their membership.' })
  manageGroups?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Read SCIM settings and the provisioning log, change the provider and staged mode.',
  })
  manageScim?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Read the audit trail.' })
  accessEventLogs?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Enable and disable SCIM and rotate the SCIM key. Owner-only: only an OWNER may give it.',
  })
  manageScimKeys?: boolean;

  @Field(() => Boolean, { nullable: true, description: "Add, change and remove the organization's webhook endpoints." })
  manageWebhooks?: boolean;
}

@InputType('MembersInviteInput', {
  description: 'Invite up to 100 people with one role; each gets an e-mail with an invitation token.',
})
export class MembersInviteInput {
  @Field(() => ID, { description: 'The inviting organization.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => [String], { description: 'E-mail addresses to invite (1 to 100).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK)
  @MaxLength(320, { each: true })
  @IsEmail({}, { each: true })
  emails!: string[];

  @Field(() => MemberRole, { defaultValue: MemberRole.USER, description: 'The role of every invited member.' })
  role!: MemberRole;

  @Field(() => MemberPermissionsInput, { nullable: true, description: 'Permission flags (for the CUSTOM role).' })
  @ValidateNested()
  permissions?: MemberPermissionsInput;

  @Field(() => [ID], { nullable: true, description: 'Groups every invited member joins.' })
  @ArrayMaxSize(MAX_BULK)
  @IsUUID('all', { each: true })
  groupIds?: string[];
}

@InputType('MemberIdsInput', { description: 'Up to 100 members of one organization.' })
export class MemberIdsInput {
  @Field(() => ID, { description: 'The organization of the members.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => [ID], { description: 'Member ids (1 to 100).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK)
  @IsUUID('all', { each: true })
  memberIds!: string[];
}

@InputType('MembersRevokeInput', {
  description: 'Revoke up to 100 members; restoring returns each to its prior status.',
})
export class MembersRevokeInput extends MemberIdsInput {
  @Field(() => String, {
    nullable: true,
    description: 'Why access is revoked, the same for every member (shown in the profile and the audit event).',
  })
  @MaxLength(500)
  reason?: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      '"Keep revoked": a SCIM `active: true` from the identity provider (its routine PUT included) does not restore these members; the request applies otherwise and is audited as member.restore_held_back. membersRestore lifts the hold.',
  })
  keepRevoked!: boolean;
}

@InputType('MembersAddToGroupInput', {
  description: 'Add up to 100 members to one group (needs manageGroups); members already in it are left alone.',
})
export class MembersAddToGroupInput extends MemberIdsInput {
  @Field(() => ID, { description: 'A group created here: a SCIM-pushed group fails every row with MANAGED_BY_IDP.' })
  @IsUUID('all')
  groupId!: string;
}

@InputType('MembersChangeRoleInput', {
  description: 'Give up to 100 members one role (and, for CUSTOM, permission flags), each as memberUpdate would.',
})
export class MembersChangeRoleInput extends MemberIdsInput {
  @Field(() => MemberRole, { description: 'The new role.' })
  role!: MemberRole;

  @Field(() => MemberPermissionsInput, { nullable: true, description: 'Permission flags to set (for CUSTOM).' })
  @ValidateNested()
  permissions?: MemberPermissionsInput;
}

@InputType('MemberConfirmation', { description: 'One member to confirm, with an optional opaque key.' })
export class MemberConfirmationInput {
  @Field(() => ID, { description: 'An ACCEPTED member.' })
  @IsUUID('all')
  memberId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'An opaque key kept with the membership (e.g. a wrapped organization key).',
  })
  @MaxLength(10000)
  key?: string;
}

@InputType('MembersConfirmInput', { description: 'Confirm up to 100 accepted members.' })
export class MembersConfirmInput {
  @Field(() => ID, { description: 'The organization of the members.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => [MemberConfirmationInput], { description: 'Members to confirm (1 to 100).' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK)
  @ValidateNested({ each: true })
  members!: MemberConfirmationInput[];
}

@InputType('InvitationAcceptInput', { description: 'Accept an invitation sent to the viewer.' })
export class InvitationAcceptInput {
  @Field(() => String, { description: 'The invitation token from the e-mail.' })
  @MinLength(1)
  @MaxLength(200)
  token!: string;
}

@InputType('MemberNameInput', {
  description: 'Name parts to set; omitted parts keep their value, empty strings clear them.',
})
export class MemberNameInput {
  @Field(() => String, { nullable: true, description: 'Given (first) name.' })
  @MaxLength(200)
  givenName?: string;

  @Field(() => String, { nullable: true, description: 'Family (last) name.' })
  @MaxLength(200)
  familyName?: string;

  @Field(() => String, { nullable: true, description: 'The full name, formatted for display.' })
  @MaxLength(400)
  formatted?: string;
}

@InputType('MemberUpdateInput', { description: "Change one member's role, permissions or name." })
export class MemberUpdateInput {
  @Field(() => ID, { description: 'The organization of the member.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The member to change.' })
  @IsUUID('all')
  memberId!: string;

  @Field(() => MemberRole, { nullable: true, description: 'New role.' })
  role?: MemberRole;

  @Field(() => MemberPermissionsInput, { nullable: true, description: 'Permission flags to set.' })
  @ValidateNested()
  permissions?: MemberPermissionsInput;

  @Field(() => MemberNameInput, { nullable: true, description: 'Name parts to set.' })
  @ValidateNested()
  name?: MemberNameInput;

  @Field(() => String, { nullable: true, description: 'Name shown in lists.' })
  @MaxLength(400)
  displayName?: string;
}

@InputType('MemberGroupsSetInput', { description: "Make a member's groups exactly the given set." })
export class MemberGroupsSetInput {
  @Field(() => ID, { description: 'The organization of the member.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The member.' })
  @IsUUID('all')
  memberId!: string;

  @Field(() => [ID], { description: 'All its groups (0 to 100); others are left.' })
  @ArrayMaxSize(MAX_BULK)
  @IsUUID('all', { each: true })
  groupIds!: string[];
}
