import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { DomainError, ErrorCode, notFound } from '../domain/errors';
import { GraphQLContext } from './context';
import { GroupNode } from './group/group.type';
import { MemberNode } from './member/member.type';
import { Node } from './common/node.type';
import { OrganizationNode } from './organization/organization.type';

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'The organization, member or group with this UUID, when the viewer may see it; NOT_FOUND otherwise.',
  })
  async node(@Arg('id', () => ID, { description: 'A UUID.' }) id: string, @Ctx() ctx: GraphQLContext): Promise<Node> {
    const { actor, services } = ctx;
    try {
      const located = await services.organizations.locate(actor, id);
      switch (located?.type) {
        case 'Organization':
          return OrganizationNode.from((await ctx.loaders.access(id)).organization);
        case 'Member':
          return MemberNode.from(await services.memberProfiles.get(actor, located.organizationId, id));
        case 'Group':
          return GroupNode.from(await services.groups.get(actor, located.organizationId, id));
        default:
          throw notFound('node');
      }
    } catch (err) {
      // One answer for "does not exist", "another organization's" and "yours, but not for your role".
      if (err instanceof DomainError && (err.code === ErrorCode.NOT_FOUND || err.code === ErrorCode.FORBIDDEN))
        throw notFound('node');
      throw err;
    }
  }
}
