import { Args, Ctx, FieldResolver, Query, Resolver } from 'type-graphql';
import { DomainError, ErrorCode } from '../../domain/errors';
import { connectionFromList, connectionFromPage } from '../common/connections';
import { GraphQLContext } from '../context';
import { ForwardPageArgs } from '../common/page.args';
import { AccountEventConnection, AccountEventNode } from './account-event.type';
import { Connection } from '../common/connection.type';
import { UserNode } from '../member/member.type';
import { OrganizationConnection, OrganizationNode } from '../organization/organization.type';
import { AccessTokenNode, PendingInvitation, PendingMembership, Viewer } from './viewer.type';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The signed-in account.' })
  async viewer(@Ctx() ctx: GraphQLContext): Promise<Viewer> {
    const user = await ctx.loaders.user().load(ctx.actor.userId);
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'the account no longer exists');
    return Object.assign(new Viewer(), { user: UserNode.from(user) });
  }

  @FieldResolver(() => OrganizationConnection, {
    description: 'Organizations in which the viewer is a confirmed member.',
  })
  async organizations(
    @Args(() => ForwardPageArgs) args: ForwardPageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<OrganizationNode>> {
    const organizations = await ctx.services.organizations.listForUser(ctx.actor);
    return connectionFromList(organizations, args, OrganizationNode.from);
  }

  @FieldResolver(() => [PendingInvitation], {
    description: "Invitations sent to the viewer's e-mail address, not yet accepted.",
  })
  async pendingInvitations(@Ctx() ctx: GraphQLContext): Promise<PendingInvitation[]> {
    return (await ctx.services.organizations.pendingInvitations(ctx.actor)).map(PendingInvitation.from);
  }

  @FieldResolver(() => [PendingMembership], {
    description:
      "The viewer's own memberships that give no rights yet (invited, or accepted and waiting for an administrator to confirm them), oldest first.",
  })
  async pendingMemberships(@Ctx() ctx: GraphQLContext): Promise<PendingMembership[]> {
    return (await ctx.services.organizations.pendingMemberships(ctx.actor)).map(PendingMembership.from);
  }

  @FieldResolver(() => [AccessTokenNode], {
    description: "The viewer's access tokens that are neither revoked nor expired, newest first.",
  })
  async accessTokens(@Ctx() ctx: GraphQLContext): Promise<AccessTokenNode[]> {
    return (await ctx.services.tokens.list(ctx.actor)).map(AccessTokenNode.from);
  }

  @FieldResolver(() => AccountEventConnection, {
    description:
      "What happened to the viewer's account (tokens created and revoked, sign-ins, OIDC binding), newest first.",
  })
  async events(
    @Args(() => ForwardPageArgs) args: ForwardPageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<AccountEventNode>> {
    const page = await ctx.services.identity.accountEvents(ctx.actor, { first: args.first, after: args.after });
    return connectionFromPage(page, AccountEventNode.from);
  }
}
