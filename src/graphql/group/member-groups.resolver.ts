import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { DomainError } from '../../domain/errors';
import { connectionFromList } from '../common/connections';
import { Connection } from '../common/connection.type';
import { ForwardPageArgs } from '../common/page.args';
import { forwardPageArgsPlainlyValid, validateForwardPageArgs } from '../common/page-args-validation';
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
    return memberGroups(member, args, ctx);
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

/**
 * Member.groups, resolved once per member of a page. The schema resolves it with this function directly (see
 * schema.ts): type-graphql's wrapper (argument class, validation promise, middleware chain) cost more than the work.
 * The arguments are validated as type-graphql would, with the same function and error.
 */
export function memberGroups(
  member: MemberNode,
  args: ForwardPageArgs,
  ctx: GraphQLContext,
): Connection<GroupNode> | Promise<Connection<GroupNode>> {
  // Anything else is validated as type-graphql does it: on an instance of the arguments' class (its rules).
  if (!forwardPageArgsPlainlyValid(args))
    return validateForwardPageArgs(Object.assign(new ForwardPageArgs(), args)).then(() => loaded(member, args, ctx));
  const groups = ctx.loaders.groupsOfMemberLoaded(member.organizationId, member.id);
  return groups ? connectionFromList(groups, args, GroupNode.from) : loaded(member, args, ctx);
}

const loaded = (member: MemberNode, args: ForwardPageArgs, ctx: GraphQLContext): Promise<Connection<GroupNode>> =>
  ctx.loaders
    .groupsOfMember(member.organizationId)
    .load(member.id)
    .then((groups) => connectionFromList(groups, args, GroupNode.from));
