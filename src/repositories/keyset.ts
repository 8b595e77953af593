import { type CursorKind, type Page, type PageRequest, decodeCursor, encodeCursor, pageWindow } from './pagination';
import { type Selection, type SqlFragment } from './selection';

export interface SortKey<T> {
  /** SQL expression of the sort column, on the selection's alias. */
  sql: string;
  /** The same value read off a loaded row (for the cursor). */
  read: (row: T) => string | number | null;
  descending: boolean;
  /** What the column holds: a cursor's value must fit it before it is bound. */
  kind: CursorKind;
}

const toCursorValue = (v: unknown): string | number | null =>
  v instanceof Date ? v.toISOString() : (v as string | number | null);

/**
 * A keyset window over a selection already filtered and scoped to one organization, with a lazy total
 * count. One statement (two with the count) whatever the depth of the page.
 */
export async function keysetPage<T extends { id: string }>(
  selection: Selection<T>,
  sort: SortKey<T>,
  request: PageRequest,
): Promise<Page<T>> {
  const { size, backward, cursor } = pageWindow(request);
  const alias = selection.alias;
  // Walking backward means reading in the reverse order, then flipping the page.
  const descending = sort.descending !== backward;
  const dir = descending ? 'desc' : 'asc';
  let after: SqlFragment | null = null;
  if (cursor) {
    const [value, id] = decodeCursor(cursor, sort.kind, backward ? 'before' : 'after');
    after = { sql: `(${sort.sql}, ${alias}.id) ${descending ? '<' : '>'} (?, ?)`, params: [value, id] };
  }
  const rows = await selection.rows(after, `order by ${sort.sql} ${dir}, ${alias}.id ${dir} limit ?`, [size + 1]);
  let total: Promise<number> | undefined;
  const hasMore = rows.length > size;
  const items = rows.slice(0, size);
  if (backward) items.reverse();
  return {
    items,
    countTotal: () => (total ??= selection.count()),
    hasNextPage: backward ? Boolean(request.before) : hasMore,
    hasPreviousPage: backward ? hasMore : Boolean(request.after),
    cursorOf: (row) => encodeCursor(toCursorValue(sort.read(row)), row.id),
  };
}
