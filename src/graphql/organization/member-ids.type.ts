import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('MemberIdList', {
  description:
    'The ids of the members matching a filter ("select all N matching"), oldest first, for bulk mutations in batches of 100.',
})
export class MemberIdList {
  @Field(() => [ID], { description: 'At most `limit` ids.' })
  ids!: string[];

  @Field(() => Int, { description: 'How many members match in all.' })
  totalCount!: number;

  @Field(() => Boolean, { description: 'Whether more members match than `ids` holds (totalCount > limit).' })
  truncated!: boolean;
}
