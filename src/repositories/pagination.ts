import { invalidInput } from '../domain/errors';
import { isUuid } from '../domain/ids';

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

/** What a sort column holds, so that a cursor's value is checked before it is bound against that column. */
export type CursorKind = 'timestamp' | 'text';

/** Longest sort value a cursor may carry (sorted columns are at most 400 characters; the margin is generous). */
const MAX_CURSOR_TEXT = 1000;

function fitsKind(value: CursorValue, kind: CursorKind): boolean {
  if (typeof value !== 'string') return false;
  if (kind === 'text') return value.length <= MAX_CURSOR_TEXT && !value.includes('\u0000');
  // Only what toISOString writes (round-trip, so `2020-02-31` is out): anything else (another list's cursor, a
  // hand-made one) would reach the database as a timestamp it cannot parse, a 500 instead of the client's mistake.
  // Years 0001-9999 only: PostgreSQL has no year 0, and toISOString writes others as `+010000-…`.
  const time = Date.parse(value);
  return /^(?!0000)\d{4}-/.test(value) && !Number.isNaN(time) && new Date(time).toISOString() === value;
}

/**
 * The (sort value, id) of a cursor this list gave out. A cursor that does not decode, names no UUID, or whose
 * value does not fit the list's sort column (a cursor of another list or order, or a forged one) is
 * BAD_USER_INPUT on `field`, never a database error.
 */
export function decodeCursor(cursor: string, kind: CursorKind, field = 'after'): [CursorValue, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 2 && isUuid(parsed[1]) && fitsKind(parsed[0] as CursorValue, kind)) {
    return [parsed[0] as CursorValue, parsed[1]];
  }
  throw invalidInput('cursor is not valid', field);
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
