/** The member_group table (alias `g`) as the filter compiler and the SCIM sort see it. */
import {
  type GroupFilterAttribute,
  type GroupMultiValued,
  type GroupResourceFilter,
  type GroupSortAttribute,
} from '../domain/resource-filter';
import { type Columns, type FilterCatalogue, type MultiValuedRule, compileFilter } from './filter-sql';
import { type SqlFragment } from './selection';

const COLUMNS: Partial<Record<GroupFilterAttribute, Columns[string]>> = {
  id: { type: 'uuid', sql: 'g.id' },
  externalId: { type: 'text', sql: 'g.external_id', caseExact: true },
  displayName: { type: 'text', sql: 'g.display_name', caseExact: false },
  'meta.created': { type: 'timestamp', sql: 'g.created_at' },
  'meta.lastModified': { type: 'timestamp', sql: 'g.updated_at' },
};

/** `members` of a group, through group_membership. */
const members: MultiValuedRule = (element) =>
  `exists (select 1 from group_membership gm where gm.group_id = g.id and ${element({ 'members.value': { type: 'uuid', sql: 'gm.member_id' } }).sql})`;

const MULTI_VALUED: Record<GroupMultiValued, MultiValuedRule> = { members };

export const GROUP_FILTER_CATALOGUE: FilterCatalogue = {
  columns: COLUMNS,
  multiValued: MULTI_VALUED,
  // unique indexes: (organization, external_id), the primary key
  unique: new Set<GroupFilterAttribute>(['id', 'externalId']),
};

export const compileGroupFilter = (filter: GroupResourceFilter): SqlFragment =>
  compileFilter(GROUP_FILTER_CATALOGUE, filter);

export const GROUP_SORT_COLUMNS: Readonly<Record<GroupSortAttribute, string>> = {
  id: 'g.id',
  externalId: 'g.external_id',
  displayName: 'lower(g.display_name)',
  'meta.created': 'g.created_at',
  'meta.lastModified': 'g.updated_at',
};
