/**
 * Request shapes as the major IdPs send them, through the pure building blocks (the HTTP-level fixtures live with
 * the route tests). Each case names the IdP whose quirk it covers.
 */
import { compileGroupFilter as compileGroupTree } from '../../../src/repositories/group-filter-sql';
import { compileMemberFilter } from '../../../src/repositories/member-filter-sql';
import { resolveGroupFilter } from '../../../src/scim/groups/group-query';
import { resolveUserFilter } from '../../../src/scim/users/user-query';
import { normalizePatch } from '../../../src/scim/protocol/patch';
import { applyUserPatch } from '../../../src/scim/users/user-patch';
import { groupPatchPlan } from '../../../src/scim/groups/group-patch';
import { projectResource } from '../../../src/scim/protocol/projection';
import { GROUP_RESOURCE } from '../../../src/scim/groups/group-attributes';
import { type ScimUserState } from '../../../src/scim/protocol/types';
import { chooseEmail, readUserBody } from '../../../src/scim/users/user-body';

// SCIM resolves the filter, the repository compiles it: the SQL an IdP's filter ends up as
const compileUserFilter = (filter: string) => compileMemberFilter(resolveUserFilter(filter));
const compileGroupFilter = (filter: string) => compileGroupTree(resolveGroupFilter(filter));

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const M1 = '6a1e0f3c-8c0b-4f59-9f5b-2a7a1b7a0001';
const M2 = '6a1e0f3c-8c0b-4f59-9f5b-2a7a1b7a0002';

describe('Okta', () => {
  it('looks users up by userName, creates with a password, deactivates with a path-less replace', () => {
    expect(compileUserFilter('userName eq "isaac.brock@example.com"').params).toEqual(['isaac.brock@example.com']);
    const created = readUserBody({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'isaac.brock@example.com',
      name: { givenName: 'Isaac', familyName: 'Brock' },
      emails: [{ primary: true, value: 'isaac.brock@example.com', type: 'work' }],
      displayName: 'Isaac Brock',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    });
    expect(chooseEmail(created)).toBe('isaac.brock@example.com');
    const deactivated = applyUserPatch(
      created,
      normalizePatch({ schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] }),
    );
    expect(deactivated).toEqual({ ...created, active: false });
  });

  it('PUT round trip: reading back what we return changes nothing', () => {
    const state: ScimUserState = readUserBody({
      userName: 'a@x.com',
      name: { givenName: 'A' },
      emails: [{ value: 'a@x.com', primary: true }],
    });
    const returned = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
      id: M1,
      userName: state.userName,
      name: { givenName: 'A' },
      emails: state.emails,
      active: true,
      [ENT]: {},
      meta: {
        resourceType: 'User',
        created: '2024-01-01T00:00:00Z',
        lastModified: '2024-01-01T00:00:00Z',
        version: 'W/"1"',
      },
    };
    expect(readUserBody(JSON.parse(JSON.stringify(returned)))).toEqual(state);
  });

  it('group push: rename, then members[value eq] removal and add', () => {
    const plan = groupPatchPlan(
      normalizePatch({
        schemas: [PATCH],
        Operations: [
          { op: 'replace', value: { id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b', displayName: 'Test SCIMv2' } },
          { op: 'remove', path: `members[value eq "${M1}"]` },
          { op: 'add', path: 'members', value: [{ value: M2, display: 'test.user@okta.local' }] },
        ],
      }),
    );
    expect(plan).toEqual({ displayName: 'Test SCIMv2', add: [M2], remove: [M1], removeAll: false });
  });
});

describe('Microsoft Entra ID', () => {
  it('test connection with a random GUID-ish filter matches nothing without a SQL error', () => {
    expect(compileUserFilter('userName eq "2f5c0b0d-93ab-4e33-a9d3-0ba0ee15f1a4"').sql).toBe(
      'lower(m.user_name) = lower(?)',
    );
    expect(compileUserFilter('id eq "non-existent-user-7d5c"')).toEqual({ sql: '1=0', params: [], atMostOneRow: true });
    expect(compileGroupFilter('displayName eq "Group 1"').params).toEqual(['Group 1']);
  });

  it('PATCH with capitalised ops, "False", bare manager and value-path emails', () => {
    const state = readUserBody({
      userName: 'u@contoso.com',
      active: true,
      emails: [{ value: 'u@contoso.com', type: 'work', primary: true }],
    });
    const next = applyUserPatch(
      state,
      normalizePatch({
        schemas: [PATCH],
        Operations: [
          { op: 'Replace', path: 'active', value: 'False' },
          { op: 'Add', path: `${ENT}:manager`, value: 'f9b1f3d3-6a0c-4a4a-9e0f-1e1f0e2c9b11' },
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@contoso.com' },
          { op: 'Add', path: 'title', value: 'Engineer' },
          { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
          { op: 'Add', path: 'externalId', value: 'e-1' },
        ],
      }),
    );
    expect(next).toMatchObject({
      active: false,
      manager: 'f9b1f3d3-6a0c-4a4a-9e0f-1e1f0e2c9b11',
      emails: [{ value: 'new@contoso.com', type: 'work', primary: true }],
      externalId: 'e-1',
    });
  });

  it('removes group members with a value array; excludedAttributes=members', () => {
    expect(
      groupPatchPlan(
        normalizePatch({
          schemas: [PATCH],
          Operations: [{ op: 'Remove', path: 'members', value: [{ value: M1 }, { value: M2 }] }],
        }),
      ),
    ).toEqual({ add: [], remove: [M1, M2], removeAll: false });
    const group = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'g',
      displayName: 'G',
      members: [{ value: M1 }],
      meta: {},
    };
    expect(projectResource(GROUP_RESOURCE, group, { excludedAttributes: 'members' })).not.toHaveProperty('members');
  });
});

describe('OneLogin', () => {
  it('legacy URNs in bodies and +-encoded filters', () => {
    const state = readUserBody({
      schemas: ['urn:scim:schemas:core:1.0'],
      userName: 'o@x.com',
      'urn:scim:schemas:core:1.0:displayName': 'O',
    });
    expect(state).toMatchObject({ userName: 'o@x.com', displayName: 'O' });
    expect(compileUserFilter('userName+eq+"o+tag@x.com"')).toEqual({
      sql: 'lower(m.user_name) = lower(?)',
      params: ['o+tag@x.com'],
      atMostOneRow: true,
    });
    expect(normalizePatch({ schemas: ['urn:scim:schemas:core:1.0'], Operations: [] })).toEqual([]);
  });
});

describe('Ping Identity', () => {
  it('capitalised filter operators', () => {
    expect(compileUserFilter('userName Eq "p@x.com"')).toEqual(compileUserFilter('userName eq "p@x.com"'));
    expect(compileGroupFilter('displayName Co "eng"')).toEqual(compileGroupFilter('displayName co "eng"'));
  });
});

describe('Google Workspace', () => {
  it('mixed schemas and enterprise attributes in the body', () => {
    const state = readUserBody({
      schemas: [
        'urn:ietf:params:scim:schemas:core:2.0:User',
        ENT,
        'urn:ietf:params:scim:schemas:extension:googleapps:2.0:User',
      ],
      userName: 'g@x.com',
      name: { givenName: 'G', familyName: 'W' },
      [ENT]: { department: 'Eng', employeeNumber: '9' },
      'urn:ietf:params:scim:schemas:extension:googleapps:2.0:User': { orgUnit: '/' },
    });
    expect(state).toMatchObject({ department: 'Eng', employeeNumber: '9', givenName: 'G' });
  });
});

describe('JumpCloud', () => {
  it('group adds and removes with value arrays, repeated adds deduplicated', () => {
    const ops = normalizePatch({
      schemas: [PATCH],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: M1 }, { value: M2 }] },
        { op: 'add', path: 'members', value: [{ value: M1 }] },
        { op: 'remove', path: 'members', value: [{ value: M2 }] },
      ],
    });
    expect(groupPatchPlan(ops)).toEqual({ add: [M1], remove: [M2], removeAll: false });
  });

  it('user PUT with active false', () => {
    expect(
      readUserBody({ userName: 'j@x.com', active: false, emails: [{ value: 'j@x.com', type: 'work', primary: true }] })
        .active,
    ).toBe(false);
  });
});
