/**
 * Discovery documents (RFC 7644 §4): /ServiceProviderConfig (RFC 7643 §5), /ResourceTypes (RFC 7643 §6) and
 * /Schemas (RFC 7643 §7, attribute definitions as in §8.7.1), describing exactly what this adapter supports.
 * Every function returns a fresh object; `baseUrl` is the SCIM root of the organization
 * (`{PUBLIC_URL}/scim/v2/{organizationId}`), used for `meta.location`.
 */
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, LIST_RESPONSE_SCHEMA, USER_SCHEMA } from './types';

export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** RFC 7644 §3.4.2.4: the largest `count` honoured. */
export const MAX_RESULTS = 1000;

type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
type Returned = 'always' | 'never' | 'default' | 'request';
type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  name: string;
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
}

/** An attribute definition with the RFC 7643 §2.2 defaults, overridden by `opts`. */
function attr(
  name: string,
  type: AttributeDefinition['type'],
  description: string,
  opts: Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>> = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...opts,
  };
}

const trim = (baseUrl: string) => baseUrl.replace(/\/+$/, '');

function userAttributes(): AttributeDefinition[] {
  return [
    attr(
      'userName',
      'string',
      'Unique identifier for the user, typically the sign-in name; unique in the organization (case-insensitive).',
      {
        required: true,
        uniqueness: 'server',
      },
    ),
    attr('name', 'complex', "The components of the user's name.", {
      subAttributes: [
        attr('formatted', 'string', 'The full name, formatted for display.'),
        attr('familyName', 'string', 'The family name (last name).'),
        attr('givenName', 'string', 'The given name (first name).'),
      ],
    }),
    attr('displayName', 'string', 'The name of the user, suitable for display.'),
    attr('emails', 'complex', 'Email addresses; the primary one (else work, else the first) is the login email.', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', 'The email address.'),
        attr('type', 'string', "A label: 'work', 'home' or 'other'.", { canonicalValues: ['work', 'home', 'other'] }),
        attr('primary', 'boolean', 'Whether this is the primary email; at most one.'),
      ],
    }),
    attr('active', 'boolean', 'false revokes the member in the organization; true restores it.'),
    attr('groups', 'complex', 'The groups the member belongs to; change them through /Groups.', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', 'string', 'The id of the group.', { mutability: 'readOnly', caseExact: true }),
        attr('$ref', 'reference', 'The URI of the group.', {
          mutability: 'readOnly',
          referenceTypes: ['Group'],
          caseExact: true,
        }),
        attr('display', 'string', 'The name of the group.', { mutability: 'readOnly' }),
        attr('type', 'string', "How the membership is held; always 'direct'.", {
          mutability: 'readOnly',
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
    }),
    attr('password', 'string', 'Accepted for compatibility; never stored or returned.', {
      mutability: 'writeOnly',
      returned: 'never',
      caseExact: true,
    }),
  ];
}

function enterpriseAttributes(): AttributeDefinition[] {
  return [
    attr('employeeNumber', 'string', 'Identifier assigned by the organization.'),
    attr('department', 'string', 'Name of a department.'),
    attr('manager', 'complex', "The user's manager (a bare id string is accepted as its value).", {
      subAttributes: [
        attr('value', 'string', 'The id of the manager.', { caseExact: true }),
        attr('$ref', 'reference', 'The URI of the manager.', { referenceTypes: ['User'], caseExact: true }),
        attr('displayName', 'string', 'The name of the manager.', { mutability: 'readOnly' }),
      ],
    }),
  ];
}

function groupAttributes(): AttributeDefinition[] {
  return [
    attr('displayName', 'string', 'A human-readable name for the group.', { required: true }),
    attr('members', 'complex', 'The members of the group (members of the same organization).', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', 'The id of the member.', { mutability: 'immutable', caseExact: true }),
        attr('$ref', 'reference', 'The URI of the member.', {
          mutability: 'immutable',
          referenceTypes: ['User'],
          caseExact: true,
        }),
        attr('display', 'string', 'The name of the member.', { mutability: 'readOnly' }),
        attr('type', 'string', "The kind of member; always 'User'.", {
          mutability: 'immutable',
          canonicalValues: ['User'],
        }),
      ],
    }),
  ];
}

const SCHEMA_DEFS: { id: string; name: string; description: string; attributes: () => AttributeDefinition[] }[] = [
  { id: USER_SCHEMA, name: 'User', description: 'User Account (an organization member)', attributes: userAttributes },
  {
    id: ENTERPRISE_USER_SCHEMA,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: enterpriseAttributes,
  },
  { id: GROUP_SCHEMA, name: 'Group', description: 'Group', attributes: groupAttributes },
];

/** GET /Schemas (RFC 7644 §4): one schema document per supported schema. */
export function schemaDocuments(baseUrl: string): Record<string, unknown>[] {
  return SCHEMA_DEFS.map((d) => ({
    schemas: [SCHEMA_SCHEMA],
    id: d.id,
    name: d.name,
    description: d.description,
    attributes: d.attributes(),
    meta: { resourceType: 'Schema', location: `${trim(baseUrl)}/Schemas/${d.id}` },
  }));
}

/** GET /Schemas/{urn}; the URN matches case-insensitively. Undefined when unknown (404). */
export function schemaDocument(baseUrl: string, urn: string): Record<string, unknown> | undefined {
  return schemaDocuments(baseUrl).find((d) => String(d.id).toLowerCase() === urn.toLowerCase());
}

/** GET /ResourceTypes (RFC 7643 §6). */
export function resourceTypeDocuments(baseUrl: string): Record<string, unknown>[] {
  const base = trim(baseUrl);
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account (an organization member)',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      schema: GROUP_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

/** GET /ResourceTypes/{name}; case-insensitive. Undefined when unknown (404). */
export function resourceTypeDocument(baseUrl: string, name: string): Record<string, unknown> | undefined {
  return resourceTypeDocuments(baseUrl).find((d) => String(d.id).toLowerCase() === name.toLowerCase());
}

/** GET /ServiceProviderConfig (RFC 7643 §5). */
export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: "The organization's SCIM API key, sent as 'Authorization: Bearer <key>'.",
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${trim(baseUrl)}/ServiceProviderConfig` },
  };
}

/** A ListResponse (RFC 7644 §3.4.2): for queries, and for /Schemas and /ResourceTypes. */
export function listResponse<T>(resources: T[], totalResults = resources.length, startIndex = 1) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
