/**
 * A resolved, storage-neutral filter over members (SCIM Users) or groups: what a transport parsed and checked,
 * before a repository turns it into a query. Attribute ids name what the product stores, never a column; values
 * are already typed (a date-time is a Date, a boolean a boolean). A repository compiles it over its own column
 * catalogue and refuses any id it does not know.
 */
import { MEMBER_FIELD_FILTER_ATTRIBUTES, MEMBER_FIELD_SORT_ATTRIBUTES } from './member-fields';

/**
 * Attributes of a member that can be filtered on (`enterprise:` marks the enterprise extension): the filterable
 * profile fields (`member-fields.ts`) and those that are not a profile column.
 */
export const MEMBER_FILTER_ATTRIBUTES = [
  'id',
  'active',
  'emails.value',
  'emails.type',
  'emails.primary',
  'phoneNumbers.value',
  'phoneNumbers.type',
  'phoneNumbers.primary',
  'groups.value',
  'meta.created',
  'meta.lastModified',
  ...MEMBER_FIELD_FILTER_ATTRIBUTES,
] as const;

/** Attributes of a group that can be filtered on. */
export const GROUP_FILTER_ATTRIBUTES = [
  'id',
  'externalId',
  'displayName',
  'members.value',
  'meta.created',
  'meta.lastModified',
] as const;

export type MemberFilterAttribute = (typeof MEMBER_FILTER_ATTRIBUTES)[number];
export type GroupFilterAttribute = (typeof GROUP_FILTER_ATTRIBUTES)[number];

/** Multi-valued attributes: their element attributes (`emails.value`) are compared inside a `some` node only. */
export const MEMBER_MULTI_VALUED = ['emails', 'phoneNumbers', 'groups'] as const;
export const GROUP_MULTI_VALUED = ['members'] as const;
export type MemberMultiValued = (typeof MEMBER_MULTI_VALUED)[number];
export type GroupMultiValued = (typeof GROUP_MULTI_VALUED)[number];

export type FilterOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
/** A string, a boolean, a point in time, or null (compare with "absent"). */
export type FilterValue = string | boolean | Date | null;

export type ResourceFilter<A extends string = string, M extends string = string> =
  | { kind: 'and' | 'or'; filters: ResourceFilter<A, M>[] }
  /** Matches when the inner filter does not; an absent attribute counts as "does not match". */
  | { kind: 'not'; filter: ResourceFilter<A, M> }
  | { kind: 'compare'; attribute: A; op: FilterOperator; value: FilterValue }
  | { kind: 'present'; attribute: A }
  /** Some element of the multi-valued attribute matches `filter` (whose attributes are that attribute's). */
  | { kind: 'some'; attribute: M; filter: ResourceFilter<A, M> };

export type MemberResourceFilter = ResourceFilter<MemberFilterAttribute, MemberMultiValued>;
export type GroupResourceFilter = ResourceFilter<GroupFilterAttribute, GroupMultiValued>;

/** Attributes a list can be ordered by: the sortable profile fields and those that are not a profile column. */
export const MEMBER_SORT_ATTRIBUTES = [
  'id',
  'active',
  'meta.created',
  'meta.lastModified',
  ...MEMBER_FIELD_SORT_ATTRIBUTES,
] as const;
export const GROUP_SORT_ATTRIBUTES = ['id', 'externalId', 'displayName', 'meta.created', 'meta.lastModified'] as const;
export type MemberSortAttribute = (typeof MEMBER_SORT_ATTRIBUTES)[number];
export type GroupSortAttribute = (typeof GROUP_SORT_ATTRIBUTES)[number];

export interface ResourceSort<A extends string = string> {
  attribute: A;
  descending: boolean;
}

/** A list request: a resolved filter, a sort, and the window (`startIndex` 1-based, as SCIM counts). */
export interface ResourceListQuery<F, S extends string> {
  filter?: F;
  sort?: ResourceSort<S>;
  startIndex: number;
  count: number;
}
