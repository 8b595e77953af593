import { type Request } from 'express';
import { ScimError } from './errors';
import { type ScimResourceDeclaration } from './attributes';
import { resolveFilter, resolveSort } from './filter';
import { MAX_RESULTS } from './schemas';
import {
  type GroupResourceFilter,
  type GroupSortAttribute,
  type MemberResourceFilter,
  type MemberSortAttribute,
  type ResourceFilter,
  type ResourceSort,
} from '../../domain/resource-filter';

interface ListQuery<F, S> {
  filter?: F;
  sort?: ResourceSort<S & string>;
  startIndex: number;
  count: number;
  attributes?: unknown;
  excludedAttributes?: unknown;
}
export type UserListQuery = ListQuery<MemberResourceFilter, MemberSortAttribute>;
export type GroupListQuery = ListQuery<GroupResourceFilter, GroupSortAttribute>;

const DEFAULT_COUNT = 100;

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(String(value).trim());
  if (!Number.isFinite(n)) throw new ScimError(400, 'invalidValue', `${name} must be a number`);
  return Math.trunc(n);
}

const single = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/**
 * RFC 7644 §3.4.2.4: "A value less than 1 SHALL be interpreted as 1" (startIndex) and "A negative value SHALL be
 * interpreted as 0" (count); a count above the maximum is served as the maximum (§3.4.2.4 lets the provider
 * return fewer). Those stay as the RFC says. What cannot be served at all is refused with 400 invalidValue
 * instead of reaching the database as an offset it cannot read: a startIndex beyond 2^53 - 1, which a JSON
 * number cannot even name exactly (and `1e20` would be sent to PostgreSQL as a bigint it cannot parse).
 */
export const MAX_START_INDEX = Number.MAX_SAFE_INTEGER;

function startIndexOf(value: unknown): number {
  const n = integer(value, 'startIndex') ?? 1;
  if (n > MAX_START_INDEX) throw new ScimError(400, 'invalidValue', `startIndex must be at most ${MAX_START_INDEX}`);
  return Math.max(1, n);
}

/**
 * Reads the query parameters of RFC 7644 §3.4.2 (GET) or the body of §3.4.3 (POST .search) into one
 * shape: resolved filter, window and sort. startIndex < 1 reads as 1; count < 0 as 0; count is capped.
 */
export function readListQuery(
  resource: ScimResourceDeclaration,
  source: Record<string, unknown>,
): ListQuery<ResourceFilter, string> {
  const all = (name: string) => Object.entries(source).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const get = (name: string) => single(all(name));
  const filter = get('filter');
  if (filter !== undefined && typeof filter !== 'string')
    throw new ScimError(400, 'invalidFilter', 'filter must be a string');
  const startIndex = startIndexOf(get('startIndex'));
  const count = Math.min(MAX_RESULTS, Math.max(0, integer(get('count'), 'count') ?? DEFAULT_COUNT));
  const sortBy = get('sortBy');
  const descending = String(get('sortOrder') ?? 'ascending').toLowerCase() === 'descending';
  const sorted = typeof sortBy === 'string' && sortBy.trim() ? sortBy.trim() : undefined;
  const text = filter && filter.trim() ? filter.trim() : undefined;
  const common = {
    startIndex,
    count,
    // a list: `a,b` in a query, a JSON array in a .search body (RFC 7644 §3.4.3), or repeated query parameters
    attributes: all('attributes'),
    excludedAttributes: all('excludedAttributes'),
  };
  // without sortBy the list is in creation order; sortOrder still applies to it
  const sort = sorted ? resolveSort(resource, sorted, descending) : { attribute: 'meta.created', descending };
  return { ...common, sort, filter: text ? resolveFilter(resource, text) : undefined };
}

export const queryOf = (req: Request): Record<string, unknown> => req.query as Record<string, unknown>;
