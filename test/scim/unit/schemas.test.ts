import {
  listResponse,
  resourceTypeDocument,
  resourceTypeDocuments,
  schemaDocument,
  schemaDocuments,
  serviceProviderConfig,
} from '../../../src/scim/protocol/schemas';
import { GROUP_RESOURCE } from '../../../src/scim/groups/group-attributes';
import { USER_RESOURCE } from '../../../src/scim/users/user-attributes';

const BASE = 'https://orgd.example/scim/v2/9f0c6e9c-1111-4111-8111-111111111111/';
const ROOT = BASE.slice(0, -1);
const RESOURCES = [USER_RESOURCE, GROUP_RESOURCE];

describe('ServiceProviderConfig (RFC 7643 §5)', () => {
  it('states what the adapter supports', () => {
    const spc = serviceProviderConfig(BASE);
    expect(spc).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      meta: { resourceType: 'ServiceProviderConfig', location: `${ROOT}/ServiceProviderConfig` },
    });
    expect((spc.authenticationSchemes as { type: string }[])[0].type).toBe('oauthbearertoken');
  });
});

describe('ResourceTypes (RFC 7643 §6)', () => {
  it('lists User with the enterprise extension and Group', () => {
    const types = resourceTypeDocuments(RESOURCES, BASE);
    expect(types.map((t) => t.id)).toEqual(['User', 'Group']);
    expect(types[0]).toMatchObject({
      endpoint: '/Users',
      schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
      schemaExtensions: [{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false }],
      meta: { resourceType: 'ResourceType', location: `${ROOT}/ResourceTypes/User` },
    });
    expect(resourceTypeDocument(RESOURCES, BASE, 'group')?.endpoint).toBe('/Groups');
    expect(resourceTypeDocument(RESOURCES, BASE, 'Nope')).toBeUndefined();
  });
});

describe('Schemas (RFC 7643 §7)', () => {
  it('describes User, EnterpriseUser and Group with full attribute definitions', () => {
    const docs = schemaDocuments(RESOURCES, BASE);
    expect(docs.map((d) => d.id)).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    ]);
    for (const doc of docs) {
      expect(doc.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
      expect(doc.meta).toEqual({ resourceType: 'Schema', location: `${ROOT}/Schemas/${doc.id}` });
      const walk = (attrs: Record<string, unknown>[]) => {
        for (const a of attrs) {
          for (const key of [
            'name',
            'type',
            'multiValued',
            'description',
            'required',
            'caseExact',
            'mutability',
            'returned',
            'uniqueness',
          ]) {
            expect(a).toHaveProperty(key);
          }
          if (a.subAttributes) walk(a.subAttributes as Record<string, unknown>[]);
        }
      };
      walk(doc.attributes as Record<string, unknown>[]);
    }
    const user = docs[0].attributes as { name: string; required: boolean; uniqueness: string; returned: string }[];
    expect(user.find((a) => a.name === 'userName')).toMatchObject({ required: true, uniqueness: 'server' });
    expect(user.find((a) => a.name === 'password')).toMatchObject({ returned: 'never' });
    expect(user.find((a) => a.name === 'groups')).toMatchObject({ mutability: 'readOnly' });
    const enterprise = (docs[1].attributes as { name: string }[]).map((a) => a.name);
    expect(enterprise).toEqual(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
    const group = (docs[2].attributes as { name: string }[]).map((a) => a.name);
    expect(group).toEqual(['displayName', 'members']);
  });

  it('finds one schema by URN, case-insensitively', () => {
    expect(schemaDocument(RESOURCES, BASE, 'URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP')?.name).toBe('Group');
    expect(schemaDocument(RESOURCES, BASE, 'urn:nope')).toBeUndefined();
  });

  it('returns fresh objects', () => {
    const a = schemaDocuments(RESOURCES, BASE);
    (a[0].attributes as unknown[]).length = 0;
    expect((schemaDocuments(RESOURCES, BASE)[0].attributes as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('listResponse (RFC 7644 §3.4.2)', () => {
  it('wraps resources', () => {
    expect(listResponse([{ id: 1 }], 10, 3)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 10,
      startIndex: 3,
      itemsPerPage: 1,
      Resources: [{ id: 1 }],
    });
    expect(listResponse([])).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });
});
