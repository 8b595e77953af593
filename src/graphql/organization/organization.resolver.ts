import { type GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { MemberRole, MemberStatus } from '../../domain/enums';
import { roleOptionsOf } from '../../domain/policy';
import { connectionFromPage } from '../common/connections';
import { asksOfNodes } from '../common/selection-lookahead';
import { validateListArgs } from '../common/page-args-validation';
import { GraphQLContext } from '../context';
import { definedOnly, requireCapability } from '../guards';
import { EventsArgs, GroupsArgs, MembersArgs } from '../common/list.args';
import { AuditEventConnection, AuditEventNode } from './audit-event.type';
import { Connection } from '../common/connection.type';
import { GroupOrderField, MemberOrderField, OrderDirection } from '../common/enums';
import { GroupConnection, GroupNode } from '../group/group.type';
import { MemberConnection, MemberNode } from '../member/member.type';
import { MemberStatusCounts, OrganizationNode, OrganizationPermissions, Seats } from './organization.type';

const pageOf = (args: { first?: number; after?: string; last?: number; before?: string }) =>
  definedOnly({ first: args.first, after: args.after, last: args.last, before: args.before });

@Resolver(() => OrganizationNode)
export class OrganizationResolver {
  @Query(() => OrganizationNode, {
    nullable: true,
    description: 'An organization the viewer is a confirmed member of; NOT_FOUND for any other id.',
  })
  async organization(
    @Arg('id', () => ID, { description: 'The UUID of the organization.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrganizationNode> {
    return OrganizationNode.from((await ctx.loaders.access(id)).organization);
  }

  @FieldResolver(() => Seats, {
    nullable: true,
    description: 'Seats used and available (needs the viewMembers permission).',
  })
  async seats(@Root() org: OrganizationNode, @Ctx() ctx: GraphQLContext): Promise<Seats> {
    // The count tells how many members there are: not for a USER, who sees only the name and itself.
    await requireCapability(ctx, org.id, 'viewMembers');
    return { used: await ctx.services.memberProfiles.seatsUsed(ctx.actor, org.id), limit: org.seatLimit };
  }

  @FieldResolver(() => MemberConnection, {
    nullable: true,
    description: 'Members, invitations included (needs the viewMembers permission).',
  })
  async members(
    @Root() org: OrganizationNode,
    @Args(() => MembersArgs, { validateFn: validateListArgs }) args: MembersArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<MemberNode>> {
    const order = {
      field: args.orderBy?.field ?? MemberOrderField.CREATED_AT,
      direction: args.orderBy?.direction ?? OrderDirection.ASC,
    };
    const page = await ctx.services.memberProfiles.list(
      ctx.actor,
      org.id,
      definedOnly(args.filter),
      order,
      pageOf(args),
    );
    if (page.items.length && asksOfNodes(info, 'groups')) {
      // Read the page's groups ahead, in the one batch the members would ask for: each member's `groups` then
      // resolves without a promise. A failure (no viewGroups) is left for each member's own read to report.
      await ctx.loaders
        .groupsOfMember(org.id)
        .loadMany(page.items.map((m) => m.id))
        .catch(() => undefined);
    }
    return connectionFromPage(page, MemberNode.from);
  }

  @FieldResolver(() => MemberNode, {
    nullable: true,
    description: 'One member by id (a USER-role viewer sees only itself).',
  })
  async member(
    @Root() org: OrganizationNode,
    @Arg('id', () => ID, { description: 'The member UUID.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemberNode> {
    return MemberNode.from(await ctx.services.memberProfiles.get(ctx.actor, org.id, id));
  }

  @FieldResolver(() => MemberStatusCounts, { nullable: true, description: 'Number of members per status.' })
  async memberStatusCounts(@Root() org: OrganizationNode, @Ctx() ctx: GraphQLContext): Promise<MemberStatusCounts> {
    const counts = await ctx.services.memberProfiles.statusCounts(ctx.actor, org.id);
    return {
      staged: counts[MemberStatus.STAGED],
      invited: counts[MemberStatus.INVITED],
      accepted: counts[MemberStatus.ACCEPTED],
      confirmed: counts[MemberStatus.CONFIRMED],
      revoked: counts[MemberStatus.REVOKED],
      total: Object.values(counts).reduce((a, b) => a + b, 0),
    };
  }

  @FieldResolver(() => GroupConnection, { nullable: true, description: 'Groups (needs the viewGroups permission).' })
  async groups(
    @Root() org: OrganizationNode,
    @Args(() => GroupsArgs) args: GroupsArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<GroupNode>> {
    const field = args.orderBy?.field ?? GroupOrderField.CREATED_AT;
    const descending = args.orderBy?.direction === OrderDirection.DESC;
    const page = await ctx.services.groups.list(
      ctx.actor,
      org.id,
      definedOnly(args.filter),
      field,
      descending,
      pageOf(args),
    );
    return connectionFromPage(page, GroupNode.from);
  }

  @FieldResolver(() => GroupNode, { nullable: true, description: 'One group by id.' })
  async group(
    @Root() org: OrganizationNode,
    @Arg('id', () => ID, { description: 'The group UUID.' }) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GroupNode> {
    return GroupNode.from(await ctx.services.groups.get(ctx.actor, org.id, id));
  }

  @FieldResolver(() => AuditEventConnection, {
    nullable: true,
    description: 'The audit trail, newest first (needs the viewEvents permission).',
  })
  async events(
    @Root() org: OrganizationNode,
    @Args(() => EventsArgs) args: EventsArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<AuditEventNode>> {
    const page = await ctx.services.audit.list(ctx.actor, org.id, definedOnly(args.filter), pageOf(args));
    return connectionFromPage(page, AuditEventNode.from);
  }

  @FieldResolver(() => MemberRole, {
    nullable: true,
    description: "The viewer's role in this organization; null when the viewer is not a confirmed member of it.",
  })
  async viewerRole(@Root() org: OrganizationNode, @Ctx() ctx: GraphQLContext): Promise<MemberRole | null> {
    const { authority } = await ctx.loaders.access(org.id);
    return authority.kind === 'MEMBER' ? authority.role : null;
  }

  @FieldResolver(() => OrganizationPermissions, { description: 'What the viewer may do in this organization.' })
  async viewerPermissions(@Root() org: OrganizationNode, @Ctx() ctx: GraphQLContext): Promise<OrganizationPermissions> {
    const { capabilities, authority } = await ctx.loaders.access(org.id);
    return { ...capabilities, roleOptions: roleOptionsOf(capabilities, authority) };
  }
}
