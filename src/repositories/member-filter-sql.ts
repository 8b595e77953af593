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
import { type Columns, type FilterCatalogue, type MultiValuedRule, compileFilter } from './filter-sql';
import { type SqlFragment } from './selection';

const text = (sql: string, caseExact = false) => ({ type: 'text', sql, caseExact }) as const;

const COLUMNS: Partial<Record<MemberFilterAttribute, Columns[string]>> = {
  id: { type: 'uuid', sql: 'm.id' },
  externalId: text('m.external_id', true),
  userName: text('m.user_name'),
  displayName: text('m.display_name'),
  'name.givenName': text('m.given_name'),
  'name.familyName': text('m.family_name'),
  'name.formatted': text('m.formatted_name'),
  title: text('m.title'),
  active: { type: 'flag', whenTrue: "(m.status <> 'REVOKED')", whenFalse: "(m.status = 'REVOKED')" },
  'enterprise:employeeNumber': text('m.employee_number'),
  'enterprise:department': text('m.department'),
  'enterprise:organization': text('m.enterprise_organization'),
  'enterprise:costCenter': text('m.cost_center'),
  'enterprise:manager.value': text('m.manager', true),
  'meta.created': { type: 'timestamp', sql: 'm.created_at' },
  'meta.lastModified': { type: 'timestamp', sql: 'm.updated_at' },
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
export const MEMBER_SORT_COLUMNS: Readonly<Record<MemberSortAttribute, string>> = {
  id: 'm.id',
  externalId: 'm.external_id',
  userName: 'lower(m.user_name)',
  displayName: 'lower(m.display_name)',
  'name.givenName': 'lower(m.given_name)',
  'name.familyName': 'lower(m.family_name)',
  'name.formatted': 'lower(m.formatted_name)',
  title: 'lower(m.title)',
  'emails.value': 'lower(m.email)',
  active: "(m.status <> 'REVOKED')",
  'enterprise:employeeNumber': 'lower(m.employee_number)',
  'enterprise:department': 'lower(m.department)',
  'enterprise:organization': 'lower(m.enterprise_organization)',
  'enterprise:costCenter': 'lower(m.cost_center)',
  'enterprise:manager.value': 'm.manager',
  'meta.created': 'm.created_at',
  'meta.lastModified': 'm.updated_at',
};
