/**
 * The profile of a member, one entry per stored field: what the identity provider or an admin says about the
 * person (the membership's lifecycle — role, status, invitation — is not here). Everything that spells a profile
 * field is derived from this table: the profile type and its length checks, the read model and its mapper, the
 * entity's columns, the SCIM create's column list, the SCIM user state, the filter and sort catalogues, and the
 * enterprise attributes GraphQL and webhooks render. A new stored attribute is one entry here, one SCIM registry
 * declaration and one migration (docs/architecture.md, "add a SCIM attribute").
 */

/** A `{ value, type?, primary? }` entry of a multi-valued SCIM attribute (`emails`, `phoneNumbers`). */
export interface TypedValue {
  value: string;
  type?: string;
  primary?: boolean;
}

export interface MemberFieldSpec {
  /** The `member` table's column. */
  readonly column: string;
  /** `text`: a string column; `typedValues`: a jsonb list of TypedValue, as the identity provider sent it. */
  readonly type: 'text' | 'typedValues';
  /** The column's size (text only): longer input is the caller's mistake, not a database error. */
  readonly length?: number;
  /** Never null nor empty. */
  readonly required?: boolean;
  /** Compared and sorted as written (an identifier); else case-insensitively. */
  readonly caseExact?: boolean;
  /** The attribute id of the storage-neutral filter tree (`resource-filter.ts`) this field answers for. */
  readonly attribute?: string;
  readonly filterable?: boolean;
  readonly sortable?: boolean;
  /** Its name in the member's `enterprise` object (GraphQL, webhook bodies); absent: rendered elsewhere. */
  readonly enterprise?: string;
  readonly description: string;
}

export const MEMBER_FIELDS = {
  email: {
    column: 'email',
    type: 'text',
    length: 320,
    required: true,
    // a list sorted by `emails.value` sorts by the login email; filters on emails read the `emails` list
    attribute: 'emails.value',
    sortable: true,
    description: 'The e-mail address the member signs in with.',
  },
  userName: {
    column: 'user_name',
    type: 'text',
    length: 320,
    required: true,
    attribute: 'userName',
    filterable: true,
    sortable: true,
    description: 'The SCIM userName (the email unless the identity provider set another).',
  },
  givenName: {
    column: 'given_name',
    type: 'text',
    length: 200,
    attribute: 'name.givenName',
    filterable: true,
    sortable: true,
    description: 'Given (first) name.',
  },
  familyName: {
    column: 'family_name',
    type: 'text',
    length: 200,
    attribute: 'name.familyName',
    filterable: true,
    sortable: true,
    description: 'Family (last) name.',
  },
  formattedName: {
    column: 'formatted_name',
    type: 'text',
    length: 400,
    attribute: 'name.formatted',
    filterable: true,
    sortable: true,
    description: 'The full name, formatted for display.',
  },
  displayName: {
    column: 'display_name',
    type: 'text',
    length: 400,
    attribute: 'displayName',
    filterable: true,
    sortable: true,
    description: 'Name shown in lists.',
  },
  externalId: {
    column: 'external_id',
    type: 'text',
    length: 400,
    caseExact: true,
    attribute: 'externalId',
    filterable: true,
    sortable: true,
    description: "The identity provider's id for this person.",
  },
  emails: {
    column: 'emails',
    type: 'typedValues',
    description: 'The SCIM emails as the identity provider sent them; `email` is the one chosen for sign-in.',
  },
  title: {
    column: 'title',
    type: 'text',
    length: 200,
    attribute: 'title',
    filterable: true,
    sortable: true,
    description: 'Job title.',
  },
  phoneNumbers: {
    column: 'phone_numbers',
    type: 'typedValues',
    description: 'Phone numbers, as the identity provider sent them.',
  },
  employeeNumber: {
    column: 'employee_number',
    type: 'text',
    length: 200,
    attribute: 'enterprise:employeeNumber',
    filterable: true,
    sortable: true,
    enterprise: 'employeeNumber',
    description: 'Identifier the organization assigned to the person.',
  },
  costCenter: {
    column: 'cost_center',
    type: 'text',
    length: 200,
    attribute: 'enterprise:costCenter',
    filterable: true,
    sortable: true,
    enterprise: 'costCenter',
    description: 'Cost center.',
  },
  enterpriseOrganization: {
    column: 'enterprise_organization',
    type: 'text',
    length: 200,
    attribute: 'enterprise:organization',
    filterable: true,
    sortable: true,
    enterprise: 'organization',
    description: 'The organization the person belongs to, as the identity provider names it (free text).',
  },
  division: {
    column: 'division',
    type: 'text',
    length: 200,
    attribute: 'enterprise:division',
    filterable: true,
    sortable: true,
    enterprise: 'division',
    description: 'Division.',
  },
  department: {
    column: 'department',
    type: 'text',
    length: 200,
    attribute: 'enterprise:department',
    filterable: true,
    sortable: true,
    enterprise: 'department',
    description: 'Department.',
  },
  manager: {
    column: 'manager',
    type: 'text',
    length: 400,
    caseExact: true,
    attribute: 'enterprise:manager.value',
    filterable: true,
    sortable: true,
    enterprise: 'managerId',
    description: "The identity provider's reference to the person's manager (usually a SCIM User id).",
  },
} as const satisfies Record<string, MemberFieldSpec>;

type Fields = typeof MEMBER_FIELDS;
export type MemberFieldId = keyof Fields;

/** The value a field holds: a string (null when absent, unless required) or a list of typed values. */
type ValueOf<F> = F extends { type: 'typedValues' }
  ? TypedValue[] | null
  : F extends { required: true }
    ? string
    : string | null;

/** The fields that are never null; a writer that creates a member gives them. */
export type RequiredMemberField = {
  [K in MemberFieldId]: Fields[K] extends { required: true } ? K : never;
}[MemberFieldId];
export type OptionalMemberField = Exclude<MemberFieldId, RequiredMemberField>;

/** Every profile field with its value, as stored and read. */
export type MemberProfileValues = { [K in MemberFieldId]: ValueOf<Fields[K]> };

type IdsWhere<Flag extends 'filterable' | 'sortable'> = {
  [K in MemberFieldId]: Fields[K] extends { [P in Flag]: true } & { attribute: infer A extends string } ? A : never;
}[MemberFieldId];

/** The filter attribute ids the profile fields answer for. */
export type MemberFieldFilterAttribute = IdsWhere<'filterable'>;
export type MemberFieldSortAttribute = IdsWhere<'sortable'>;

/** The table as a list, computed once at load (the derivations below and in other layers iterate it). */
export const MEMBER_FIELD_LIST: readonly (MemberFieldSpec & { readonly id: MemberFieldId })[] = (
  Object.keys(MEMBER_FIELDS) as MemberFieldId[]
).map((id) => ({ id, ...(MEMBER_FIELDS[id] as MemberFieldSpec) }));

export const MEMBER_FIELD_FILTER_ATTRIBUTES = MEMBER_FIELD_LIST.filter((f) => f.filterable).map(
  (f) => f.attribute as MemberFieldFilterAttribute,
);
export const MEMBER_FIELD_SORT_ATTRIBUTES = MEMBER_FIELD_LIST.filter((f) => f.sortable).map(
  (f) => f.attribute as MemberFieldSortAttribute,
);

/** The fields shown in the member's `enterprise` object, by their name there. */
export type MemberEnterpriseName = NonNullable<
  { [K in MemberFieldId]: Fields[K] extends { enterprise: infer N } ? N : never }[MemberFieldId]
>;
export const MEMBER_ENTERPRISE_FIELDS = MEMBER_FIELD_LIST.filter(
  (f) => f.enterprise !== undefined,
) as readonly (MemberFieldSpec & { readonly id: MemberFieldId; readonly enterprise: MemberEnterpriseName })[];

/** The member's `enterprise` object (GraphQL and webhook bodies name these attributes the same way). */
export function enterpriseOf(values: MemberProfileValues): Record<MemberEnterpriseName, string | null> {
  const out = {} as Record<MemberEnterpriseName, string | null>;
  for (const f of MEMBER_ENTERPRISE_FIELDS) out[f.enterprise] = values[f.id] as string | null;
  return out;
}
