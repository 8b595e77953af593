/**
 * The SCIM Group resource (RFC 7643 §4.2) as this adapter supports it: one declaration per attribute. `field`
 * names what the Group PATCH planner writes, `filter`/`sort` the attribute ids of `src/domain/resource-filter.ts`.
 */
import { type ScimAttribute, type ScimResourceDeclaration, commonAttributes } from '../protocol/attributes';
import { GROUP_SCHEMA, LEGACY_CORE_SCHEMA } from '../protocol/types';

interface GroupAttribute extends ScimAttribute {
  field?: 'displayName' | 'externalId' | 'members' | 'value';
  subAttributes?: GroupAttribute[];
}

const COMMON = commonAttributes('group', 'group');

const CORE: GroupAttribute[] = [
  {
    name: 'displayName',
    type: 'string',
    description: 'A human-readable name for the group.',
    required: true,
    field: 'displayName',
    filter: 'displayName',
    sort: 'displayName',
  },
  {
    name: 'members',
    type: 'complex',
    description: 'The members of the group (members of the same organization).',
    multiValued: true,
    field: 'members',
    subAttributes: [
      {
        name: 'value',
        type: 'string',
        description: 'The id of the member.',
        mutability: 'immutable',
        caseExact: true,
        field: 'value',
        filter: 'members.value',
        idValue: true,
      },
      {
        name: '$ref',
        type: 'reference',
        description: 'The URI of the member.',
        mutability: 'immutable',
        referenceTypes: ['User'],
        caseExact: true,
      },
      { name: 'display', type: 'string', description: 'The name of the member.', mutability: 'readOnly' },
      {
        name: 'type',
        type: 'string',
        description: "The kind of member; always 'User'.",
        mutability: 'immutable',
        canonicalValues: ['User'],
      },
    ],
  },
];

export const GROUP_RESOURCE: ScimResourceDeclaration = {
  resourceType: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  common: COMMON,
  core: {
    urn: GROUP_SCHEMA,
    legacyUrns: [LEGACY_CORE_SCHEMA],
    name: 'Group',
    description: 'Group',
    attributes: CORE,
    ignoredAttributes: ['schemas'],
  },
  extensions: [],
};
