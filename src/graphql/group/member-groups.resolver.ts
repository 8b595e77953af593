import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DomainError } from '../../domain/errors';
import { connectionFromList } from '../common/connections';
import { Connection } from '../common/connection.type';
import { ForwardPageArgs } from '../common/page.args';
import { validateForwardPageArgs } from '../common/page-args-validation';
import { GraphQLContext } from '../context';
import { MemberNode } from '../member/member.type';
import { GroupConnection, GroupNode } from './group.type';

/** A member's groups, and the group that decides its role: the group feature's fields on Member. */
@Resolver(() => MemberNode)
export class MemberGroupsResolver {
  @FieldResolver(() => GroupConnection, {
    nullable: true,
    description: 'Groups of the member, by name (needs the viewGroups permission).',
  })
  async groups(
    @Root() member: MemberNode,
    @Args(() => ForwardPageArgs, { validateFn: validateForwardPageArgs }) args: ForwardPageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<GroupNode>> {
    const groups = await ctx.loaders.groupsOfMember(member.organizationId).load(member.id);
    return connectionFromList(groups, args, GroupNode.from);
  }

  @FieldResolver(() => GroupNode, {
    nullable: true,
    description:
      'The group whose role mapping decided the role (roleSource GROUPS); null when the role is set by hand or is the default (needs the viewGroups permission).',
  })
  async roleGrantedBy(@Root() member: MemberNode, @Ctx() ctx: GraphQLContext): Promise<GroupNode | null> {
    if (!member.roleGrantedById) return null;
    // The member is in the deciding group: its groups (batched for a page) hold it.
    let groups;
    try {
      groups = await ctx.loaders.groupsOfMember(member.organizationId).load(member.id);
    } catch (err) {
      // A viewer without viewGroups (a member reading its own membership) sees the role, not the group.
      if (err instanceof DomainError) return null;
      throw err;
    }
    const group = groups.find((g) => g.id === member.roleGrantedById);
    return group ? GroupNode.from(group) : null;
  }
}
