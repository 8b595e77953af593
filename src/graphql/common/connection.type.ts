import { ClassType, Field, Int, ObjectType } from 'type-graphql';

// `simpleResolvers`: plain properties resolve with graphql-js's default resolver, without type-graphql's wrapper.
@ObjectType('PageInfo', {
  simpleResolvers: true,
  description: 'Where a page sits in its connection (Relay cursor pagination).',
})
export class PageInfo {
  @Field(() => Boolean, { description: 'True when more items follow this page (walking forward).' })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when items precede this page (walking backward).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page; pass it as `before`.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page; pass it as `after`.' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | Promise<number>;
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` for one node type. Called once per node type at module
 * load (type-graphql registers the classes then).
 */
export function connectionOf<T extends object>(
  node: ClassType<T>,
  name: string,
  plural: string,
): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`, {
    simpleResolvers: true,
    description: `One item of a ${name} connection and its cursor.`,
  })
  class EdgeType {
    @Field(() => String, { description: 'Opaque cursor of this item; pass it as `after` or `before`.' })
    cursor!: string;

    @Field(() => node, { description: 'The item.' })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    simpleResolvers: true,
    description: `A page of ${plural}.`,
  })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of the page with their cursors.' })
    edges!: Edge<T>[];

    @Field(() => [node], { description: 'The items of the page (shortcut for edges.node).' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Whether more pages exist, and the cursors to reach them.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: `The number of ${plural} matching the filter, over all pages.` })
    totalCount!: number | Promise<number>;
  }

  return ConnectionType;
}
