/**
 * The SCIM User resource (RFC 7643 §4.1) and the enterprise extension (§4.3) as this adapter supports them: one
 * declaration per attribute. `field` names the `ScimUserState` field an attribute is stored in (a member profile
 * field of `src/domain/member-fields.ts`), `filter`/`sort` the attribute ids of `src/domain/resource-filter.ts`.
 */
import { type MemberFilterAttribute, type MemberSortAttribute } from '../../domain/resource-filter';
import { type ScimAttribute, type ScimResourceDeclaration, commonAttributes } from '../protocol/attributes';
import {
  ENTERPRISE_USER_SCHEMA,
  LEGACY_CORE_SCHEMA,
  LEGACY_ENTERPRISE_SCHEMA,
  type ScimUserState,
  USER_SCHEMA,
} from '../protocol/types';

/** A state field, or (in a sub-attribute of `emails`, `phoneNumbers`) the part of an entry. */
type Field = keyof ScimUserState | 'value' | 'type' | 'primary';

/** A User attribute: its field, filter and sort ids are checked against the member field table's. */
interface UserAttribute extends ScimAttribute {
  field?: Field;
  filter?: MemberFilterAttribute;
  sort?: MemberSortAttribute;
  subAttributes?: UserAttribute[];
}

/** `value`/`type`/`primary` of a multi-valued attribute such as `emails` (RFC 7643 §2.4, §4.1.2). */
function typedValues(
  name: 'emails' | 'phoneNumbers',
  what: string,
  canonicalTypes: string[],
  valueDescription: string,
): UserAttribute[] {
  return [
    { name: 'value', type: 'string', description: valueDescription, field: 'value', filter: `${name}.value` },
    {
      name: 'type',
      type: 'string',
      description: `A label: ${canonicalTypes.map((t) => `'${t}'`).join(', ')}.`,
      canonicalValues: canonicalTypes,
      field: 'type',
      filter: `${name}.type`,
    },
    {
      name: 'primary',
      type: 'boolean',
      description: `Whether this is the primary ${what}; at most one.`,
      field: 'primary',
      filter: `${name}.primary`,
    },
  ];
}

const COMMON = commonAttributes('member', 'user');

const CORE: UserAttribute[] = [
  {
    name: 'userName',
    type: 'string',
    description:
      'Unique identifier for the user, typically the sign-in name; unique in the organization (case-insensitive).',
    required: true,
    uniqueness: 'server',
    field: 'userName',
    filter: 'userName',
    sort: 'userName',
  },
  {
    name: 'name',
    type: 'complex',
    description: "The components of the user's name.",
    subAttributes: [
      {
        name: 'formatted',
        type: 'string',
        description: 'The full name, formatted for display.',
        field: 'formattedName',
        filter: 'name.formatted',
        sort: 'name.formatted',
      },
      {
        name: 'familyName',
        type: 'string',
        description: 'The family name (last name).',
        field: 'familyName',
        filter: 'name.familyName',
        sort: 'name.familyName',
      },
      {
        name: 'givenName',
        type: 'string',
        description: 'The given name (first name).',
        field: 'givenName',
        filter: 'name.givenName',
        sort: 'name.givenName',
      },
    ],
    ignoredSubAttributes: ['middleName', 'honorificPrefix', 'honorificSuffix'],
  },
  {
    name: 'displayName',
    type: 'string',
    description: 'The name of the user, suitable for display.',
    field: 'displayName',
    filter: 'displayName',
    sort: 'displayName',
  },
  {
    name: 'title',
    type: 'string',
    description: 'The job title, e.g. "Vice President".',
    field: 'title',
    filter: 'title',
    sort: 'title',
  },
  {
    name: 'emails',
    type: 'complex',
    description: 'Email addresses; the primary one (else work, else the first) is the login email.',
    multiValued: true,
    field: 'emails',
    // the login email (the primary one) is what a list sorts by
    subAttributes: typedValues('emails', 'email', ['work', 'home', 'other'], 'The email address.').map((s) =>
      s.name === 'value' ? { ...s, sort: 'emails.value' } : s,
    ),
    ignoredSubAttributes: ['display'],
  },
  {
    name: 'phoneNumbers',
    type: 'complex',
    description: 'Phone numbers of the user.',
    multiValued: true,
    field: 'phoneNumbers',
    subAttributes: typedValues(
      'phoneNumbers',
      'phone number',
      ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
      'The phone number, e.g. "tel:+1-201-555-0123".',
    ),
    ignoredSubAttributes: ['display'],
  },
  {
    name: 'active',
    type: 'boolean',
    description: 'false revokes the member in the organization; true restores it.',
    field: 'active',
    filter: 'active',
    sort: 'active',
  },
  {
    name: 'groups',
    type: 'complex',
    description: 'The groups the member belongs to; change them through /Groups.',
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      {
        name: 'value',
        type: 'string',
        description: 'The id of the group.',
        mutability: 'readOnly',
        caseExact: true,
        filter: 'groups.value',
        idValue: true,
      },
      {
        name: '$ref',
        type: 'reference',
        description: 'The URI of the group.',
        mutability: 'readOnly',
        referenceTypes: ['Group'],
        caseExact: true,
      },
      { name: 'display', type: 'string', description: 'The name of the group.', mutability: 'readOnly' },
      {
        name: 'type',
        type: 'string',
        description: "How the membership is held; always 'direct'.",
        mutability: 'readOnly',
        canonicalValues: ['direct', 'indirect'],
      },
    ],
  },
  {
    name: 'password',
    type: 'string',
    description: 'Accepted for compatibility; never stored or returned.',
    mutability: 'writeOnly',
    returned: 'never',
    caseExact: true,
  },
];

const ENTERPRISE: UserAttribute[] = [
  {
    name: 'employeeNumber',
    type: 'string',
    description: 'Identifier assigned by the organization.',
    field: 'employeeNumber',
    filter: 'enterprise:employeeNumber',
    sort: 'enterprise:employeeNumber',
  },
  {
    name: 'costCenter',
    type: 'string',
    description: 'Name of a cost center.',
    field: 'costCenter',
    filter: 'enterprise:costCenter',
    sort: 'enterprise:costCenter',
  },
  {
    name: 'organization',
    type: 'string',
    description: 'Name of an organization.',
    field: 'enterpriseOrganization',
    filter: 'enterprise:organization',
    sort: 'enterprise:organization',
  },
  {
    name: 'division',
    type: 'string',
    description: 'Name of a division.',
    field: 'division',
    filter: 'enterprise:division',
    sort: 'enterprise:division',
  },
  {
    name: 'department',
    type: 'string',
    description: 'Name of a department.',
    field: 'department',
    filter: 'enterprise:department',
    sort: 'enterprise:department',
  },
  {
    name: 'manager',
    type: 'complex',
    description: "The user's manager (a bare id string is accepted as its value).",
    field: 'manager',
    subAttributes: [
      {
        name: 'value',
        type: 'string',
        description: 'The id of the manager.',
        caseExact: true,
        field: 'value',
        filter: 'enterprise:manager.value',
        sort: 'enterprise:manager.value',
      },
      {
        name: '$ref',
        type: 'reference',
        description: 'The URI of the manager.',
        referenceTypes: ['User'],
        caseExact: true,
      },
      { name: 'displayName', type: 'string', description: 'The name of the manager.', mutability: 'readOnly' },
    ],
  },
];

export const USER_RESOURCE: ScimResourceDeclaration = {
  resourceType: 'User',
  endpoint: '/Users',
  description: 'User Account (an organization member)',
  common: COMMON,
  core: {
    urn: USER_SCHEMA,
    legacyUrns: [LEGACY_CORE_SCHEMA],
    name: 'User',
    description: 'User Account (an organization member)',
    attributes: CORE,
    // RFC 7643 §4.1 attributes we do not store (Entra's default mapping sends some by path), and `schemas`
    ignoredAttributes: [
      'schemas',
      'nickname',
      'profileurl',
      'usertype',
      'preferredlanguage',
      'locale',
      'timezone',
      'ims',
      'photos',
      'addresses',
      'entitlements',
      'roles',
      'x509certificates',
    ],
  },
  extensions: [
    {
      urn: ENTERPRISE_USER_SCHEMA,
      legacyUrns: [LEGACY_ENTERPRISE_SCHEMA],
      name: 'EnterpriseUser',
      description: 'Enterprise User',
      attributes: ENTERPRISE,
      ignoredAttributes: [],
    },
  ],
};
