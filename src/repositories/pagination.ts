import { invalidInput } from '../domain/errors';

/** Keyset pagination over (sort value, id): stable under inserts, cost independent of the page's depth. */
export interface PageRequest {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** The number of rows matching the filter, counted only when asked (a count over 100,000 rows is not free). */
  countTotal: () => Promise<number>;
  cursorOf: (item: T) => string;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export type CursorValue = string | number | null;

export function encodeCursor(value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [CursorValue, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[1] === 'string' &&
      (parsed[0] === null || ['string', 'number'].includes(typeof parsed[0]))
    ) {
      return [parsed[0] as CursorValue, parsed[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw invalidInput('cursor is not valid', 'after');
}

/** Normalizes first/last into one direction and size; rejects both at once and out-of-range sizes. */
export function pageWindow(page: PageRequest): { size: number; backward: boolean; cursor?: string } {
  if (page.first != null && page.last != null) throw invalidInput('use either first or last, not both', 'first');
  const size = page.last ?? page.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidInput(`page size must be between 1 and ${MAX_PAGE_SIZE}`, page.last != null ? 'last' : 'first');
  }
  const backward = page.last != null;
  return { size, backward, cursor: backward ? page.before : page.after };
}
