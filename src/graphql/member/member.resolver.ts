import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { MemberSource, NO_PERMISSIONS, RoleSource } from '../../domain/enums';
import { DomainError } from '../../domain/errors';
import { Authority, capabilitiesOf, memberActionsOf, needsGuards } from '../../domain/policy';
import { GraphQLContext } from '../context';
import { MemberActions, MemberNode, UserNode } from './member.type';

/** Why no role is offered for a member whose role follows its groups (memberUpdate refuses with INVALID_STATE). */
const ROLE_FROM_GROUPS =
  "the role comes from the member's groups: change their role mapping, or set the role by hand first";

@Resolver(() => MemberNode)
export class MemberResolver {
  @FieldResolver(() => UserNode, {
    nullable: true,
    description: 'The account linked when the invitation was accepted; null before.',
  })
  async user(@Root() member: MemberNode, @Ctx() ctx: GraphQLContext): Promise<UserNode | null> {
    if (!member.userId) return null;
    const user = await ctx.loaders.user().load(member.userId);
    return user ? UserNode.from(user) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The identity provider that manages this SCIM-provisioned member, by name ("JumpCloud"): its next sync may undo a revoke, a removal or a profile change made here (see membersRevoke keepRevoked). Null when the member was not provisioned over SCIM, or SCIM is off.',
  })
  async managedBy(@Root() member: MemberNode, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    if (member.source !== MemberSource.SCIM) return null;
    try {
      return await ctx.loaders.scimManagedBy(member.organizationId);
    } catch (err) {
      // An invitee reading its own membership (invitationAccept) has no rights in the organization yet.
      if (err instanceof DomainError) return null;
      throw err;
    }
  }

  @FieldResolver(() => MemberActions, { description: 'What the viewer may do to this member.' })
  async viewerCan(@Root() member: MemberNode, @Ctx() ctx: GraphQLContext): Promise<MemberActions> {
    let capabilities = capabilitiesOf(null);
    let authority: Authority = { kind: 'NONE' };
    try {
      ({ capabilities, authority } = await ctx.loaders.access(member.organizationId));
    } catch (err) {
      // An invitee reading its own membership (invitationAccept) has no rights in the organization yet.
      if (!(err instanceof DomainError)) throw err;
    }
    const acts = memberActionsOf(capabilities, authority, member);
    // Only when the viewer could act on an owner or a revoked member does it pay for the organization's counts.
    const couldAct = acts.revoke || acts.remove || acts.changeRole || acts.restore;
    const decided =
      couldAct && needsGuards(member)
        ? memberActionsOf(capabilities, authority, member, await ctx.loaders.guards(member.organizationId))
        : acts;
    // A role from groups changes with the groups' mappings: memberUpdate refuses a role or flag change.
    return member.roleSource === RoleSource.GROUPS
      ? {
          ...decided,
          changeRole: false,
          grantableRoles: [],
          roleOptions: decided.roleOptions.map((o) =>
            o.role === member.role ? o : { ...o, allowed: false, reason: ROLE_FROM_GROUPS },
          ),
          changePermissions: false,
          grantablePermissions: NO_PERMISSIONS,
        }
      : decided;
  }
}
