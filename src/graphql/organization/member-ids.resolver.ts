import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { invalidInput } from '../../domain/errors';
import { MemberFilterInput } from '../common/list.args';
import { GraphQLContext } from '../context';
import { definedOnly } from '../guards';
import { MemberIdList } from './member-ids.type';
import { OrganizationNode } from './organization.type';

/** What one memberIds page holds at most; a larger selection is read page by page (`after`). */
export const MAX_MEMBER_IDS = 10_000;

@Resolver(() => OrganizationNode)
export class MemberIdsResolver {
  @FieldResolver(() => MemberIdList, {
    nullable: true,
    description: `The ids of the members matching the filter of the members list, a page of up to ${MAX_MEMBER_IDS} at a time (needs the viewMembers permission): "select all N matching" for bulk mutations, which take 100 ids a call and authorize each row. Any number is read page by page: pass \`endCursor\` as \`after\` while \`hasNextPage\`.`,
  })
  async memberIds(
    @Root() org: OrganizationNode,
    @Arg('filter', () => MemberFilterInput, { nullable: true, description: 'The same filter as `members`.' })
    filter: MemberFilterInput | null,
    // Not `first`: that name makes a connection, whose page size and query cost are capped at 100.
    @Arg('limit', () => Int, { defaultValue: MAX_MEMBER_IDS, description: `1 to ${MAX_MEMBER_IDS}.` })
    limit: number,
    @Arg('after', () => String, { nullable: true, description: "The previous page's `endCursor`." })
    after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemberIdList> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MEMBER_IDS)
      throw invalidInput(`limit must be between 1 and ${MAX_MEMBER_IDS}`, 'limit');
    const page = { limit, after: after ?? null };
    const { ids, total, hasMore, endCursor } = await ctx.services.memberProfiles.idsMatching(
      ctx.actor,
      org.id,
      definedOnly(filter),
      page,
    );
    return { ids, totalCount: total, hasNextPage: hasMore, endCursor, truncated: hasMore };
  }
}
