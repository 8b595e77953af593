import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { mutationPayload } from '../payload';
import { definedOnly, requireCapability } from '../guards';
import { InvitationAcceptInput, MemberGroupsSetInput, MemberUpdateInput } from './member.input';
import { MemberPayload } from './member-payloads.type';
import { MemberNode } from './member.type';

@Resolver()
export class MemberMutationsResolver {
  @Mutation(() => MemberPayload, {
    description:
      "Accept an invitation sent to the viewer's e-mail address; an admin then confirms it. The token is bound to the address it was mailed to: once the member's address changed, it is INVALID_TOKEN (the new address gets its own invitation).",
  })
  async invitationAccept(
    @Arg('input', () => InvitationAcceptInput, { description: 'The invitation token.' }) input: InvitationAcceptInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemberPayload> {
    return mutationPayload(
      ctx,
      'member',
      () => ctx.services.memberLifecycle.accept(ctx.actor, input.token),
      MemberNode.from,
    );
  }

  @Mutation(() => MemberPayload, {
    description:
      "Change a member's role, permission flags or name. Nobody changes their own role or flags, acts on a member whose role it has no authority over, or gives a role or flag it does not hold (FORBIDDEN user error). Demoting the last confirmed owner fails with LAST_OWNER.",
  })
  async memberUpdate(
    @Arg('input', () => MemberUpdateInput, { description: 'The member and its changes.' }) input: MemberUpdateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemberPayload> {
    const profile = definedOnly({
      givenName: input.name?.givenName,
      familyName: input.name?.familyName,
      formattedName: input.name?.formatted,
      displayName: input.displayName,
    });
    await requireCapability(ctx, input.organizationId, 'manageMembers');
    return mutationPayload(
      ctx,
      'member',
      () =>
        ctx.services.memberProfiles.update(ctx.actor, input.organizationId, input.memberId, {
          role: input.role ?? undefined,
          permissions: input.permissions ? definedOnly(input.permissions) : undefined,
          profile: Object.keys(profile).length ? profile : undefined,
        }),
      MemberNode.from,
      { forbiddenIsUserError: true },
    );
  }

  @Mutation(() => MemberPayload, { description: "Make a member's groups exactly the given set." })
  async memberGroupsSet(
    @Arg('input', () => MemberGroupsSetInput, { description: 'The member and all its groups.' })
    input: MemberGroupsSetInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemberPayload> {
    const { actor, services } = ctx;
    return mutationPayload(
      ctx,
      'member',
      async () => {
        await services.groups.setGroupsOfMember(actor, input.organizationId, input.memberId, input.groupIds);
        return services.memberProfiles.get(actor, input.organizationId, input.memberId);
      },
      MemberNode.from,
    );
  }
}
