import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GroupSource } from '../../domain/enums';
import { seesMemberProfile } from '../../domain/policy';
import { type MemberView } from '../../read-models/member.view';
import { DEFAULT_FIRST, connectionFromHead, connectionFromPage } from '../common/connections';
import { GraphQLContext } from '../context';
import { ForwardPageArgs } from '../common/page.args';
import { validateForwardPageArgs } from '../common/page-args-validation';
import { Connection } from '../common/connection.type';
import { GroupNode } from './group.type';
import { MemberConnection, MemberNode } from '../member/member.type';

@Resolver(() => GroupNode)
export class GroupResolver {
  @FieldResolver(() => MemberConnection, { nullable: true, description: 'Members of the group, oldest first.' })
  async members(
    @Root() group: GroupNode,
    @Args(() => ForwardPageArgs, { validateFn: validateForwardPageArgs }) args: ForwardPageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<MemberNode>> {
    const { services, actor, loaders } = ctx;
    const first = args.first ?? DEFAULT_FIRST;
    const { capabilities, membership } = await loaders.access(group.organizationId);
    const toNode = (m: MemberView) => MemberNode.from(m, seesMemberProfile(capabilities, membership?.id ?? null, m.id));
    if (args.after) {
      // Later pages of one group: a keyset page of its own (first pages of many groups are batched below).
      const page = await services.groups.memberPage(actor, group.organizationId, group.id, {
        first,
        after: args.after,
      });
      return connectionFromPage(page, toNode);
    }
    const [fetched, total] = await Promise.all([
      loaders.membersOfGroup(group.organizationId, first + 1).load(group.id),
      loaders.memberCount(group.organizationId).load(group.id),
    ]);
    return connectionFromHead(fetched, first, total, (m) => services.groups.memberCursor(m), toNode);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The identity provider that pushes this group, by name ("JumpCloud"): its membership is read-only here (groupMembersAdd, groupMembersRemove, memberGroupsSet, membersAddToGroup and membersInvite groupIds fail with MANAGED_BY_IDP). Null for a group created here, or while SCIM is off.',
  })
  async managedBy(@Root() group: GroupNode, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    return group.source === GroupSource.SCIM ? ctx.loaders.scimManagedBy(group.organizationId) : null;
  }
}
