import { type MemberResourceFilter } from '../../domain/resource-filter';
import { resolveFilter } from '../protocol/filter';
import { type FilterNode } from '../protocol/filter-parser';
import { type UserListQuery, readListQuery } from '../protocol/query';
import { USER_RESOURCE } from './user-attributes';

// The registry declares only the attribute ids of the member lists (test/scim/unit/attribute-registry.test.ts),
// so what it resolves is a member filter and a member sort.

/** A filter on Users, resolved against the User registry. */
export const resolveUserFilter = (filter: string | FilterNode) =>
  resolveFilter(USER_RESOURCE, filter) as MemberResourceFilter;

/** The list query of GET /Users and POST /Users/.search. */
export const readUserListQuery = (source: Record<string, unknown>) =>
  readListQuery(USER_RESOURCE, source) as UserListQuery;
