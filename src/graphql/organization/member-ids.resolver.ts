import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { invalidInput } from '../../domain/errors';
import { MemberFilterInput } from '../common/list.args';
import { GraphQLContext } from '../context';
import { definedOnly } from '../guards';
import { MemberIdList } from './member-ids.type';
import { OrganizationNode } from './organization.type';

/** What one memberIds call returns at most: a selection the console batches by 100 in reasonable time. */
export const MAX_MEMBER_IDS = 10_000;

@Resolver(() => OrganizationNode)
export class MemberIdsResolver {
  @FieldResolver(() => MemberIdList, {
    nullable: true,
    description: `The ids of every member matching the filter of the members list, up to ${MAX_MEMBER_IDS} (needs the viewMembers permission): "select all N matching" for bulk mutations, which take 100 ids a call and authorize each row.`,
  })
  async memberIds(
    @Root() org: OrganizationNode,
    @Arg('filter', () => MemberFilterInput, { nullable: true, description: 'The same filter as `members`.' })
    filter: MemberFilterInput | null,
    // Not `first`: that name makes a connection, whose page size and query cost are capped at 100.
    @Arg('limit', () => Int, { defaultValue: MAX_MEMBER_IDS, description: `1 to ${MAX_MEMBER_IDS}.` })
    limit: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemberIdList> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MEMBER_IDS)
      throw invalidInput(`limit must be between 1 and ${MAX_MEMBER_IDS}`, 'limit');
    const { ids, total } = await ctx.services.memberProfiles.idsMatching(ctx.actor, org.id, definedOnly(filter), limit);
    return { ids, totalCount: total, truncated: total > ids.length };
  }
}
