import { QueryBuilder, raw } from '@mikro-orm/postgresql';
import { Page, PageRequest, decodeCursor, encodeCursor, pageWindow } from './pagination';

export interface SortKey<T> {
  /** SQL expression of the sort column, on the query's alias. */
  sql: string;
  /** The same value read off a loaded row (for the cursor). */
  read: (row: T) => string | number | null;
  descending: boolean;
}

const toCursorValue = (v: unknown): string | number | null =>
  v instanceof Date ? v.toISOString() : (v as string | number | null);

/**
 * Applies a keyset window to a query already filtered and scoped to one organization, and runs it
 * with a lazy total count. One statement (two with the count) whatever the depth of the page.
 */
export async function keysetPage<T extends { id: string }>(
  qb: QueryBuilder<T>,
  alias: string,
  sort: SortKey<T>,
  request: PageRequest,
): Promise<Page<T>> {
  const { size, backward, cursor } = pageWindow(request);
  const countQb = qb.clone();
  // Walking backward means reading in the reverse order, then flipping the page.
  const descending = sort.descending !== backward;
  const dir = descending ? 'desc' : 'asc';
  if (cursor) {
    const [value, id] = decodeCursor(cursor);
    const op = descending ? '<' : '>';
    qb.andWhere(`(${sort.sql}, ${alias}.id) ${op} (?, ?)`, [value, id]);
  }
  qb.orderBy([{ [raw(sort.sql)]: dir }, { [raw(`${alias}.id`)]: dir }] as never).limit(size + 1);
  const rows = await qb.getResultList();
  let total: Promise<number> | undefined;
  const hasMore = rows.length > size;
  const items = rows.slice(0, size);
  if (backward) items.reverse();
  return {
    items,
    countTotal: () => (total ??= countQb.getCount()),
    hasNextPage: backward ? Boolean(request.before) : hasMore,
    hasPreviousPage: backward ? hasMore : Boolean(request.after),
    cursorOf: (row) => encodeCursor(toCursorValue(sort.read(row)), row.id),
  };
}
