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
    @Arg('first', () => Int, { defaultValue: MAX_MEMBER_IDS, description: `1 to ${MAX_MEMBER_IDS}.` })
    first: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemberIdList> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_MEMBER_IDS)
      throw invalidInput(`first must be between 1 and ${MAX_MEMBER_IDS}`, 'first');
    const { ids, total } = await ctx.services.members.idsMatching(ctx.actor, org.id, definedOnly(filter), first);
    return { ids, totalCount: total, truncated: total > ids.length };
  }
}
