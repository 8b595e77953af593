import { Field, ObjectType } from 'type-graphql';
import { MemberRole } from '../../domain/enums';
import { type RoleOption } from '../../domain/policy';
import './enums';

@ObjectType('RoleOption', { description: 'One role of a role picker: whether the viewer may give it, and why not.' })
export class RoleOptionType implements RoleOption {
  @Field(() => MemberRole, { description: 'The role.' })
  role!: MemberRole;

  @Field(() => Boolean, { description: 'Whether the viewer may give it (membersInvite, membersChangeRole).' })
  allowed!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Why not, in the words the refusing mutation would use; null when allowed.',
  })
  reason!: string | null;
}
