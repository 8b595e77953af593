import { Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { MAX_PAGE_SIZE } from './connections';

export { MAX_PAGE_SIZE };

/** The longest cursor accepted (ours are far shorter; a longer one is refused before it is decoded). */
export const MAX_CURSOR_LENGTH = 1000;

@ArgsType()
export class ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: 'Return at most this many items, 1 to 100 (default 20).' })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (pageInfo.endCursor).' })
  @MaxLength(MAX_CURSOR_LENGTH)
  after?: string;
}

@ArgsType()
export class PageArgs extends ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: 'Return at most this many items before `before`, 1 to 100.' })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  last?: number;

  @Field(() => String, { nullable: true, description: 'Return the items before this cursor (pageInfo.startCursor).' })
  @MaxLength(MAX_CURSOR_LENGTH)
  before?: string;
}
