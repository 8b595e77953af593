import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { definedOnly } from '../guards';
import { memberResults } from './bulk-items';
import { MemberIdsInput, MembersAddToGroupInput, MembersChangeRoleInput } from './member.input';
import { MembersPayload } from './member-payloads.type';

/**
 * The bulk actions of the members list beside membersRevoke and the others: each row is the single change, in its
 * own transaction, authorized as that change is (a refused row is its result's userError; the others still apply).
 */
@Resolver()
export class MembersBulkActionsResolver {
  @Mutation(() => MembersPayload, {
    description:
      'Send up to 100 STAGED members (provisioned without an e-mail) their invitation: each becomes INVITED and gets its e-mail (a seat is needed: SEAT_LIMIT). Any other status is INVALID_STATE.',
  })
  membersSendInvitation(
    @Arg('input', () => MemberIdsInput, { description: 'The staged members.' }) input: MemberIdsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MembersPayload> {
    return memberResults(
      ctx,
      input,
      'manageMembers',
      async (id) => (await ctx.services.memberLifecycle.sendInvitation(ctx.actor, input.organizationId, id)).member,
    );
  }

  @Mutation(() => MembersPayload, {
    description:
      'Add up to 100 members to a group created here, each as groupMembersAdd would (needs manageGroups). A member of another organization is UNKNOWN_MEMBERS; a SCIM-pushed group is MANAGED_BY_IDP.',
  })
  membersAddToGroup(
    @Arg('input', () => MembersAddToGroupInput, { description: 'The members and the group.' })
    input: MembersAddToGroupInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MembersPayload> {
    const { actor, services } = ctx;
    return memberResults(ctx, input, 'manageGroups', async (id) => {
      await services.groups.update(actor, input.organizationId, input.groupId, { members: { add: [id] } });
      return services.memberProfiles.get(actor, input.organizationId, id);
    });
  }

  @Mutation(() => MembersPayload, {
    description:
      'Change the role (and flags) of up to 100 members, each as memberUpdate would: nobody changes their own role, acts on a member whose role it has no authority over, or gives a role or flag it does not hold (FORBIDDEN on that row; see OrganizationPermissions.roleOptions). A member whose role follows its groups is INVALID_STATE; demoting the last confirmed owner is LAST_OWNER.',
  })
  membersChangeRole(
    @Arg('input', () => MembersChangeRoleInput, { description: 'The members and their new role.' })
    input: MembersChangeRoleInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MembersPayload> {
    const permissions = input.permissions ? definedOnly(input.permissions) : undefined;
    return memberResults(ctx, input, 'manageMembers', (id) =>
      ctx.services.memberProfiles.update(ctx.actor, input.organizationId, id, { role: input.role, permissions }),
    );
  }
}
