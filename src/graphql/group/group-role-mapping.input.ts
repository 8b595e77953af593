import { IsUUID, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MemberRole } from '../../domain/enums';
import '../common/enums';
import { MemberPermissionsInput } from '../member/member.input';

@InputType('GroupRoleMappingSetInput', {
  description: "The role a group's members get when their role comes from groups.",
})
export class GroupRoleMappingSetInput {
  @Field(() => ID, { description: 'The organization of the group.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The group.' })
  @IsUUID('all')
  groupId!: string;

  @Field(() => MemberRole, { description: 'USER, ADMIN or CUSTOM (OWNER is refused).' })
  role!: MemberRole;

  @Field(() => MemberPermissionsInput, {
    nullable: true,
    description: 'The flags of a CUSTOM mapping (omitted flags are off); ignored for other roles.',
  })
  @ValidateNested()
  permissions?: MemberPermissionsInput;
}

@InputType('GroupRoleMappingClearInput', { description: "Remove a group's role mapping." })
export class GroupRoleMappingClearInput {
  @Field(() => ID, { description: 'The organization of the group.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The group.' })
  @IsUUID('all')
  groupId!: string;
}
