import { type Page } from '../repositories/pagination';

/**
 * A page of read models from a page of rows. The view keeps the fields the list sorts by (same names), so the
 * row's cursor reads the same from it.
 */
export function mapPage<Row, View>(page: Page<Row>, view: (row: Row) => View): Page<View> {
  return {
    items: page.items.map(view),
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    countTotal: page.countTotal,
    cursorOf: (item) => page.cursorOf(item as unknown as Row),
  };
}
