/**
 * Discovery documents (RFC 7644 §4): /ServiceProviderConfig (RFC 7643 §5), /ResourceTypes (RFC 7643 §6) and
 * /Schemas (RFC 7643 §7, attribute definitions as in §8.7.1), describing exactly what this adapter supports: both
 * are read from the attribute registry that filters and PATCH resolve against.
 * Every function returns a fresh object; `baseUrl` is the SCIM root of the organization
 * (`{PUBLIC_URL}/scim/v2/{organizationId}`), used for `meta.location`.
 */
import {
  type Mutability,
  type Returned,
  type ScimAttribute,
  type ScimResourceDeclaration,
  type ScimSchema,
  type ScimType,
  type Uniqueness,
  characteristics,
} from './attributes';
import { LIST_RESPONSE_SCHEMA } from './types';

export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** RFC 7644 §3.4.2.4: the largest `count` honoured. */
export const MAX_RESULTS = 1000;

export interface AttributeDefinition {
  name: string;
  type: ScimType;
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

/** A registry declaration as RFC 7643 §7 describes an attribute (defaults of §2.2 spelled out). */
function definition(a: ScimAttribute): AttributeDefinition {
  return {
    name: a.name,
    type: a.type,
    description: a.description,
    ...characteristics(a),
    ...(a.canonicalValues ? { canonicalValues: [...a.canonicalValues] } : {}),
    ...(a.referenceTypes ? { referenceTypes: [...a.referenceTypes] } : {}),
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(definition) } : {}),
  };
}

const trim = (baseUrl: string) => baseUrl.replace(/\/+$/, '');

type Resources = readonly ScimResourceDeclaration[];

/** Every schema of every resource, core first, each once. */
const allSchemas = (resources: Resources): ScimSchema[] => resources.flatMap((r) => [r.core, ...r.extensions]);

/** GET /Schemas (RFC 7644 §4): one schema document per supported schema. */
export function schemaDocuments(resources: Resources, baseUrl: string): Record<string, unknown>[] {
  return allSchemas(resources).map((d) => ({
    schemas: [SCHEMA_SCHEMA],
    id: d.urn,
    name: d.name,
    description: d.description,
    attributes: d.attributes.map(definition),
    meta: { resourceType: 'Schema', location: `${trim(baseUrl)}/Schemas/${d.urn}` },
  }));
}

/** GET /Schemas/{urn}; the URN matches case-insensitively. Undefined when unknown (404). */
export function schemaDocument(
  resources: Resources,
  baseUrl: string,
  urn: string,
): Record<string, unknown> | undefined {
  return schemaDocuments(resources, baseUrl).find((d) => String(d.id).toLowerCase() === urn.toLowerCase());
}

/** GET /ResourceTypes (RFC 7643 §6). */
export function resourceTypeDocuments(resources: Resources, baseUrl: string): Record<string, unknown>[] {
  const base = trim(baseUrl);
  return resources.map((r) => ({
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: r.resourceType,
    name: r.resourceType,
    endpoint: r.endpoint,
    description: r.description,
    schema: r.core.urn,
    schemaExtensions: r.extensions.map((e) => ({ schema: e.urn, required: false })),
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${r.resourceType}` },
  }));
}

/** GET /ResourceTypes/{name}; case-insensitive. Undefined when unknown (404). */
export function resourceTypeDocument(
  resources: Resources,
  baseUrl: string,
  name: string,
): Record<string, unknown> | undefined {
  return resourceTypeDocuments(resources, baseUrl).find((d) => String(d.id).toLowerCase() === name.toLowerCase());
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
