import { invalidInput } from '../../domain/errors';
import type { Page } from '../../services/base';
import { type Connection } from './connection.type';

export function connectionFromPage<E, T>(page: Page<E>, map: (item: E) => T): Connection<T> {
  return connectionFromItems(
    page.items.map((item) => ({ cursor: page.cursorOf(item), node: map(item) })),
    {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      countTotal: page.countTotal,
    },
  );
}

function connectionFromItems<T>(
  edges: { cursor: string; node: T }[],
  info: { hasNextPage: boolean; hasPreviousPage: boolean; countTotal: () => Promise<number> | number },
): Connection<T> {
  return {
    edges,
    nodes: edges.map((e) => e.node),
    // A getter: GraphQL reads it only when the query selects totalCount, so unasked pages cost no count.
    get totalCount() {
      return info.countTotal();
    },
    pageInfo: {
      hasNextPage: info.hasNextPage,
      hasPreviousPage: info.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

export const DEFAULT_FIRST = 20;
/** The largest page a `first`/`last` may ask for. */
export const MAX_PAGE_SIZE = 100;

// Lists that are read whole anyway (a member's groups, the viewer's organizations) page in memory by position.
const offsetCursor = (index: number) => Buffer.from(`o:${index}`).toString('base64url');

function offsetOf(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalidInput('cursor is not valid', 'after');
  return Number(match[1]);
}

export function connectionFromList<E, T>(
  items: E[],
  args: { first?: number; after?: string },
  map: (item: E) => T,
): Connection<T> {
  const start = args.after ? offsetOf(args.after) + 1 : 0;
  const size = args.first ?? DEFAULT_FIRST;
  const slice = items.slice(start, start + size);
  return connectionFromItems(
    slice.map((item, i) => ({ cursor: offsetCursor(start + i), node: map(item) })),
    { hasNextPage: start + size < items.length, hasPreviousPage: start > 0, countTotal: () => items.length },
  );
}

/** A first page of known items plus the total; the caller fetched `first + 1` to learn whether more follow. */
export function connectionFromHead<E, T>(
  fetched: E[],
  first: number,
  totalCount: number,
  cursorOf: (item: E) => string,
  map: (item: E) => T,
): Connection<T> {
  const items = fetched.slice(0, first);
  return connectionFromItems(
    items.map((item) => ({ cursor: cursorOf(item), node: map(item) })),
    {
      hasNextPage: fetched.length > first,
      hasPreviousPage: false,
      countTotal: () => totalCount,
    },
  );
}
