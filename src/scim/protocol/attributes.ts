/**
 * The SCIM attribute registry: one declaration per attribute (RFC 7643 §2.2 characteristics plus what this adapter
 * does with it). Filters, `sortBy`, PATCH paths, `/Schemas` and `/ResourceTypes` are all read from it, so they
 * cannot disagree. The User declarations live in `../users/user-attributes`, the Group ones in
 * `../groups/group-attributes`.
 */
import { type AttrPath } from './filter-parser';

export type ScimType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface ScimAttribute {
  name: string;
  type: ScimType;
  description: string;
  /** RFC 7643 §2.2 characteristics; absent ones take the RFC defaults (see `characteristics`). */
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: Mutability;
  returned?: Returned;
  uniqueness?: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: ScimAttribute[];
  /**
   * The stored field this attribute writes, in the resource state (e.g. `givenName` for `name.givenName`); for a
   * complex or multi-valued attribute, the field holding the whole value. Absent: accepted and not stored.
   */
  field?: string;
  /** The attribute id of the neutral filter tree (`src/domain/resource-filter.ts`); absent: not filterable. */
  filter?: string;
  /** The attribute id a list may be sorted by; absent: not sortable. */
  sort?: string;
  /** Values are resource ids (UUIDs): filters compare them with eq, ne and pr only. */
  idValue?: boolean;
  /** Sub-attributes of the RFC schema we accept in writes and ignore (not listed in /Schemas). */
  ignoredSubAttributes?: string[];
}

/** The common attributes of RFC 7643 §3.1 as this adapter supports them (`meta` read-only, its dates filterable). */
export interface CommonAttribute extends ScimAttribute {
  field?: 'externalId';
  subAttributes?: CommonAttribute[];
}

/** `id`, `externalId` and `meta` of a resource; `resource` and `idpSubject` name it in the descriptions. */
export function commonAttributes(resource: string, idpSubject: string): CommonAttribute[] {
  return [
    {
      name: 'id',
      type: 'string',
      description: `The id of the ${resource}.`,
      caseExact: true,
      mutability: 'readOnly',
      returned: 'always',
      uniqueness: 'server',
      filter: 'id',
      sort: 'id',
      idValue: true,
    },
    {
      name: 'externalId',
      type: 'string',
      description: `The identity provider's id for the ${idpSubject}.`,
      caseExact: true,
      field: 'externalId',
      filter: 'externalId',
      sort: 'externalId',
    },
    {
      name: 'meta',
      type: 'complex',
      description: 'Resource metadata.',
      mutability: 'readOnly',
      subAttributes: [
        {
          name: 'created',
          type: 'dateTime',
          description: `When the ${resource} was created.`,
          mutability: 'readOnly',
          filter: 'meta.created',
          sort: 'meta.created',
        },
        {
          name: 'lastModified',
          type: 'dateTime',
          description: `When the ${resource} last changed.`,
          mutability: 'readOnly',
          filter: 'meta.lastModified',
          sort: 'meta.lastModified',
        },
      ],
      ignoredSubAttributes: ['resourceType', 'location', 'version'],
    },
  ];
}

export interface ScimSchema {
  urn: string;
  /** SCIM 1.1 URNs accepted as aliases (OneLogin). */
  legacyUrns: string[];
  name: string;
  description: string;
  attributes: ScimAttribute[];
  /** RFC 7643 attributes of this schema we accept in writes and ignore (lower case). */
  ignoredAttributes: string[];
}

export interface ScimResourceDeclaration {
  resourceType: 'User' | 'Group';
  endpoint: string;
  description: string;
  /** Common attributes (RFC 7643 §3.1: id, externalId, meta), part of every resource, not listed in /Schemas. */
  common: ScimAttribute[];
  core: ScimSchema;
  extensions: ScimSchema[];
}

/** The RFC 7643 §2.2 defaults, overridden by the declaration. */
export function characteristics(a: ScimAttribute) {
  return {
    multiValued: a.multiValued ?? false,
    required: a.required ?? false,
    caseExact: a.caseExact ?? false,
    mutability: a.mutability ?? 'readWrite',
    returned: a.returned ?? 'default',
    uniqueness: a.uniqueness ?? 'none',
  };
}

/** Where a path landed: the attribute, the sub-attribute when the path names one, and its schema. */
export interface ResolvedAttribute {
  schema: ScimSchema;
  attribute: ScimAttribute;
  sub?: ScimAttribute;
  /** True when the path names an attribute or sub-attribute we accept and ignore. */
  ignored: boolean;
}

const lower = (s: string) => s.toLowerCase();
const byName = (list: ScimAttribute[] | undefined, name: string) => list?.find((a) => lower(a.name) === lower(name));
const ignoredStub = (name: string): ScimAttribute => ({ name, type: 'string', description: '' });

/** The schemas a URN prefix selects: none given means all, in order core then extensions. */
function schemasFor(resource: ScimResourceDeclaration, urn: string | undefined): ScimSchema[] {
  const all = [resource.core, ...resource.extensions];
  if (urn === undefined) return all;
  return all.filter((s) => [s.urn, ...s.legacyUrns].some((u) => lower(u) === lower(urn)));
}

/**
 * Resolves `[urn:]attr[.sub]` (names case-insensitive, RFC 7643 §2.1). Extension attributes are found with or
 * without their URN; a core attribute under an extension URN, or any attribute under an unknown URN, is not.
 * Undefined when the schema has no such attribute or sub-attribute.
 */
export function resolveAttribute(resource: ScimResourceDeclaration, path: AttrPath): ResolvedAttribute | undefined {
  for (const schema of schemasFor(resource, path.urn)) {
    const own = schema === resource.core ? [...resource.common, ...schema.attributes] : schema.attributes;
    const attribute = byName(own, path.attr);
    if (!attribute) {
      if (schema.ignoredAttributes.includes(lower(path.attr))) {
        return { schema, attribute: ignoredStub(path.attr), ignored: true };
      }
      continue;
    }
    if (path.sub === undefined) return { schema, attribute, ignored: false };
    const sub = byName(attribute.subAttributes, path.sub);
    if (sub) return { schema, attribute, sub, ignored: false };
    if (attribute.ignoredSubAttributes?.some((n) => lower(n) === lower(path.sub ?? ''))) {
      return { schema, attribute, sub: ignoredStub(path.sub), ignored: true };
    }
    return undefined;
  }
  return undefined;
}

/** The `value` sub-attribute a complex attribute stands for when named without a sub-attribute (RFC 7644 §3.4.2.2). */
export const valueSubAttribute = (a: ScimAttribute): ScimAttribute | undefined => byName(a.subAttributes, 'value');

/** Every declared attribute and sub-attribute with its schema, for derivations and tests. */
export function* walkAttributes(
  resource: ScimResourceDeclaration,
): Generator<{ schema: ScimSchema; common: boolean; attribute: ScimAttribute; parent?: ScimAttribute }> {
  const lists: [ScimSchema, ScimAttribute[], boolean][] = [
    [resource.core, resource.common, true],
    [resource.core, resource.core.attributes, false],
    ...resource.extensions.map((s): [ScimSchema, ScimAttribute[], boolean] => [s, s.attributes, false]),
  ];
  for (const [schema, attributes, common] of lists) {
    for (const attribute of attributes) {
      yield { schema, common, attribute };
      for (const sub of attribute.subAttributes ?? []) yield { schema, common, attribute: sub, parent: attribute };
    }
  }
}

/** All URNs (current and legacy, lower case) of a resource's schemas. */
export const schemaUrns = (resource: ScimResourceDeclaration): string[] =>
  [resource.core, ...resource.extensions].flatMap((s) => [s.urn, ...s.legacyUrns]).map(lower);
