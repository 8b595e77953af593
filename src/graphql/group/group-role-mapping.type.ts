import { Field, ObjectType } from 'type-graphql';
import { MemberRole } from '../../domain/enums';
import { type GroupRoleMappingView } from '../../read-models/group.view';
import '../common/enums';
import { MemberPermissionsType } from '../member/member.type';

@ObjectType('GroupRoleMapping', {
  simpleResolvers: true,
  description: 'The role a group gives its members whose role comes from groups (Member.roleSource GROUPS).',
})
export class GroupRoleMappingType {
  @Field(() => MemberRole, { description: 'USER, ADMIN or CUSTOM; never OWNER.' })
  role!: MemberRole;

  @Field(() => MemberPermissionsType, { description: 'The flags a CUSTOM mapping gives (all false for other roles).' })
  permissions!: MemberPermissionsType;

  static from(m: GroupRoleMappingView): GroupRoleMappingType {
    return Object.assign(new GroupRoleMappingType(), { role: m.role, permissions: { ...m.permissions } });
  }
}
