import { IsUUID } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import { RoleSource } from '../../domain/enums';
import '../common/enums';
import { GraphQLContext } from '../context';
import { mutationPayload } from '../payload';
import { requireCapability } from '../guards';
import { MemberPayload } from './member-payloads.type';
import { MemberNode } from './member.type';

@InputType('MemberRoleSourceSetInput', {
  description: "Whether a member's role is set by hand or comes from its groups.",
})
export class MemberRoleSourceSetInput {
  @Field(() => ID, { description: 'The organization of the member.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The member.' })
  @IsUUID('all')
  memberId!: string;

  @Field(() => RoleSource, { description: 'MANUAL keeps the current role; GROUPS recomputes it from the groups now.' })
  roleSource!: RoleSource;
}

@Resolver()
export class MemberRoleSourceResolver {
  @Mutation(() => MemberPayload, {
    description:
      "Switch a member between a manual role and the role from its groups; authorized like a role change (FORBIDDEN user error). An owner's role never comes from groups.",
  })
  async memberRoleSourceSet(
    @Arg('input', () => MemberRoleSourceSetInput, { description: 'The member and where its role comes from.' })
    input: MemberRoleSourceSetInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemberPayload> {
    await requireCapability(ctx, input.organizationId, 'manageMembers');
    return mutationPayload(
      ctx,
      'member',
      () => ctx.services.groupRoles.setRoleSource(ctx.actor, input.organizationId, input.memberId, input.roleSource),
      MemberNode.from,
      { forbiddenIsUserError: true },
    );
  }
}
