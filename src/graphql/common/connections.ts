import { invalidInput } from '../../domain/errors';
import type { Page } from '../../services/base';
import { type Connection, type Edge } from './connection.type';

export function connectionFromPage<E, T>(page: Page<E>, map: (item: E) => T): Connection<T> {
  const items = page.items;
  // `map` gets the item alone: a mapper with an optional second parameter (MemberNode.from) must not get an index.
  return connectionFromNodes(
    items.map((item) => map(item)),
    (i) => page.cursorOf(items[i]),
    {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      countTotal: page.countTotal,
    },
  );
}

/**
 * Edges, cursors and the total are getters: GraphQL reads them only when the query selects them, so a page asked
 * for its `nodes` (the usual list) allocates no edge, and a list paged by position (a member's groups) encodes no
 * cursor unless asked (a members page encodes its endCursor only).
 */
function connectionFromNodes<T>(
  nodes: T[],
  cursorAt: (index: number) => string,
  info: { hasNextPage: boolean; hasPreviousPage: boolean; countTotal: () => Promise<number> | number },
): Connection<T> {
  let edges: Edge<T>[] | undefined;
  return {
    get edges() {
      return (edges ??= nodes.map((node, i) => ({ cursor: cursorAt(i), node })));
    },
    nodes,
    get totalCount() {
      return info.countTotal();
    },
    pageInfo: {
      hasNextPage: info.hasNextPage,
      hasPreviousPage: info.hasPreviousPage,
      get startCursor() {
        return nodes.length ? cursorAt(0) : null;
      },
      get endCursor() {
        return nodes.length ? cursorAt(nodes.length - 1) : null;
      },
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
  return connectionFromNodes(
    slice.map((item) => map(item)),
    (i) => offsetCursor(start + i),
    {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0,
      countTotal: () => items.length,
    },
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
  return connectionFromNodes(
    items.map((item) => map(item)),
    (i) => cursorOf(items[i]),
    {
      hasNextPage: fetched.length > first,
      hasPreviousPage: false,
      countTotal: () => totalCount,
    },
  );
}
