import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { getSchema, printSchemaFile } from '../../src/graphql/schema';

const SCHEMA_FILE = path.resolve(__dirname, '../../schema/schema.graphql');

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await getSchema();
});

describe('schema artifact', () => {
  it('schema/schema.graphql is what the code generates (run `npm run build && npm run schema` when this fails)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printSchemaFile(schema));
  });

  it('describes every type, field, argument, input field and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      if (!type.description?.trim()) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args)
            if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      } else if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields()))
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
      } else if (isEnumType(type)) {
        for (const value of type.getValues())
          if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('exposes the operations of the contract', () => {
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(['node', 'organization', 'viewer']);
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(
      [
        'organizationCreate',
        'organizationUpdate',
        'membersInvite',
        'membersReinvite',
        'invitationAccept',
        'membersConfirm',
        'membersRevoke',
        'membersRestore',
        'membersRemove',
        'membersSendInvitation',
        'membersAddToGroup',
        'membersChangeRole',
        'memberUpdate',
        'groupCreate',
        'groupUpdate',
        'groupDelete',
        'groupMembersAdd',
        'groupMembersRemove',
        'memberGroupsSet',
        'scimSettingsUpdate',
        'scimApiKeyRotate',
        'scimPreviousKeyRevoke',
        'heldDeprovisioningsApply',
        'heldDeprovisioningsDiscard',
        'accessTokenCreate',
        'accessTokenRevoke',
        'sessionRevoke',
        'webhookEndpointCreate',
        'webhookEndpointUpdate',
        'webhookEndpointDelete',
        'webhookEndpointSecretRotate',
        'webhookEndpointTest',
        'webhookDeliveryRetry',
        'groupRoleMappingSet',
        'groupRoleMappingClear',
        'memberRoleSourceSet',
      ].sort(),
    );
    // Every mutation takes one `input` and answers a payload with typed userErrors.
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      expect({ name: field.name, args: field.args.map((a) => a.name) }).toEqual({ name: field.name, args: ['input'] });
      expect(String(field.args[0].type)).toMatch(/^\w+Input!$/);
      const payload = schema.getType(String(field.type).replace('!', ''));
      expect(isObjectType(payload) && String(payload.getFields().userErrors?.type)).toBe('[UserError!]!');
    }
    const connection = schema.getType('MemberConnection');
    expect(isObjectType(connection) && Object.keys(connection.getFields()).sort()).toEqual([
      'edges',
      'nodes',
      'pageInfo',
      'totalCount',
    ]);
  });
});
