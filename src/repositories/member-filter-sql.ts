/**
 * The member table (alias `m`) as the filter compiler and the SCIM sort see it: attribute id -> column or
 * expression, with its case rule. caseExact=false text sorts case-insensitively too.
 */
import {
  type MemberFilterAttribute,
  type MemberMultiValued,
  type MemberResourceFilter,
  type MemberSortAttribute,
} from '../domain/resource-filter';
import { MEMBER_FIELD_LIST } from '../domain/member-fields';
import { type Columns, type FilterCatalogue, type MultiValuedRule, compileFilter } from './filter-sql';
import { type SqlFragment } from './selection';

const text = (sql: string, caseExact = false) => ({ type: 'text', sql, caseExact }) as const;

/** `m.<column>` of a text profile field, lower-cased unless the field is case-exact. */
const sortExpression = (f: { column: string; caseExact?: boolean }) =>
  f.caseExact ? `m.${f.column}` : `lower(m.${f.column})`;

const FILTERABLE = MEMBER_FIELD_LIST.filter((f) => f.filterable && f.type === 'text');
const SORTABLE = MEMBER_FIELD_LIST.filter((f) => f.sortable && f.type === 'text');

const COLUMNS: Partial<Record<MemberFilterAttribute, Columns[string]>> = {
  id: { type: 'uuid', sql: 'm.id' },
  active: { type: 'flag', whenTrue: "(m.status <> 'REVOKED')", whenFalse: "(m.status = 'REVOKED')" },
  'meta.created': { type: 'timestamp', sql: 'm.created_at' },
  'meta.lastModified': { type: 'timestamp', sql: 'm.updated_at' },
  ...Object.fromEntries(FILTERABLE.map((f) => [f.attribute, text(`m.${f.column}`, f.caseExact)])),
};

/** Elements of a jsonb array column: `value`/`type`/`primary` of each entry `e`. */
function typedValueColumns(name: 'emails' | 'phoneNumbers'): Columns {
  return {
    [`${name}.value`]: text("(e->>'value')"),
    [`${name}.type`]: text("(e->>'type')"),
    [`${name}.primary`]: { type: 'jsonFlag', sql: "(e->>'primary')" },
  };
}

const jsonArray = (col: string) => `case when jsonb_typeof(${col}) = 'array' then ${col} else '[]'::jsonb end`;
const jsonLength = (col: string) =>
  `(case when jsonb_typeof(${col}) = 'array' then jsonb_array_length(${col}) else 0 end)`;

/**
 * Emails match the elements of the `m.emails` array, and also `m.email` (the login email, which members created
 * outside SCIM have without any array). That virtual element counts as a primary work email; it is consulted for
 * `type`/`primary` conditions only when the member has no emails array.
 */
const emails: MultiValuedRule = (element) => {
  const inArray = element(typedValueColumns('emails'));
  const virtual = element({
    'emails.value': text('m.email'),
    'emails.type': text("'work'"),
    'emails.primary': { type: 'jsonFlag', sql: "'true'" },
  });
  const typeOrPrimary = [...virtual.attributes].some((a) => a !== 'emails.value');
  const guard = typeOrPrimary ? `${jsonLength('m.emails')} = 0 and ` : '';
  return `(exists (select 1 from jsonb_array_elements(${jsonArray('m.emails')}) e where ${inArray.sql}) or (${guard}${virtual.sql}))`;
};

const phoneNumbers: MultiValuedRule = (element) =>
  `exists (select 1 from jsonb_array_elements(${jsonArray('m.phone_numbers')}) e where ${element(typedValueColumns('phoneNumbers')).sql})`;

/** `groups` of a member, through group_membership. */
const groups: MultiValuedRule = (element) =>
  `exists (select 1 from group_membership gm where gm.member_id = m.id and ${element({ 'groups.value': { type: 'uuid', sql: 'gm.group_id' } }).sql})`;

const MULTI_VALUED: Record<MemberMultiValued, MultiValuedRule> = { emails, phoneNumbers, groups };

export const MEMBER_FILTER_CATALOGUE: FilterCatalogue = {
  columns: COLUMNS,
  multiValued: MULTI_VALUED,
  // unique indexes: (organization, lower(user_name)), (organization, external_id), the primary key
  unique: new Set<MemberFilterAttribute>(['id', 'userName', 'externalId']),
};

export const compileMemberFilter = (filter: MemberResourceFilter): SqlFragment =>
  compileFilter(MEMBER_FILTER_CATALOGUE, filter);

/** ORDER BY expressions; a list sorted by `emails.value` sorts by the login email (the primary one). */
export const MEMBER_SORT_COLUMNS = {
  id: 'm.id',
  active: "(m.status <> 'REVOKED')",
  'meta.created': 'm.created_at',
  'meta.lastModified': 'm.updated_at',
  ...Object.fromEntries(SORTABLE.map((f) => [f.attribute, sortExpression(f)])),
} as Readonly<Record<MemberSortAttribute, string>>;
