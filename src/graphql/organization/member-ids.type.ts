import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('MemberIdList', {
  description:
    'A page of the ids of the members matching a filter ("select all N matching"), oldest first, for bulk mutations in batches of 100. Pass `endCursor` as `after` while `hasNextPage`.',
})
export class MemberIdList {
  @Field(() => [ID], { description: 'At most `limit` ids.' })
  ids!: string[];

  @Field(() => Int, { description: 'How many members match in all (on every page, not only this one).' })
  totalCount!: number;

  @Field(() => Boolean, { description: 'Whether more ids follow this page: ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Where this page ended, for the next page's `after` (opaque); null when the page is empty.",
  })
  endCursor!: string | null;

  @Field(() => Boolean, {
    description: 'Whether more members match than `ids` holds.',
    deprecationReason: 'Use hasNextPage, and page with `after: endCursor`.',
  })
  truncated!: boolean;
}
