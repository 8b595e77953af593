import { type GroupResourceFilter } from '../../domain/resource-filter';
import { resolveFilter } from '../protocol/filter';
import { type FilterNode } from '../protocol/filter-parser';
import { type GroupListQuery, readListQuery } from '../protocol/query';
import { GROUP_RESOURCE } from './group-attributes';

// The registry declares only the attribute ids of the group lists (test/scim/unit/attribute-registry.test.ts),
// so what it resolves is a group filter and a group sort.

/** A filter on Groups, resolved against the Group registry. */
export const resolveGroupFilter = (filter: string | FilterNode) =>
  resolveFilter(GROUP_RESOURCE, filter) as GroupResourceFilter;

/** The list query of GET /Groups and POST /Groups/.search. */
export const readGroupListQuery = (source: Record<string, unknown>) =>
  readListQuery(GROUP_RESOURCE, source) as GroupListQuery;
