import { parseAttributeList, projectResource } from '../../../src/scim/protocol/projection';
import { GROUP_RESOURCE } from '../../../src/scim/groups/group-attributes';
import { USER_RESOURCE } from '../../../src/scim/users/user-attributes';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const user = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
  id: '2819c223',
  externalId: 'x1',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  displayName: 'Babs',
  emails: [
    { value: 'b@x.com', type: 'work', primary: true },
    { value: 'h@x.com', type: 'home' },
  ],
  active: true,
  [ENT]: { department: 'Ops', employeeNumber: '7', manager: { value: 'm1' } },
  meta: { resourceType: 'User', location: 'https://x/Users/2819c223', version: 'W/"1"' },
});

const group = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g1',
  displayName: 'Admins',
  members: [{ value: 'm1', display: 'A' }],
  meta: { resourceType: 'Group' },
});

describe('parseAttributeList', () => {
  it('splits, trims and accepts repeated parameters', () => {
    expect(parseAttributeList(' userName , name.givenName,,')).toEqual(['userName', 'name.givenName']);
    expect(parseAttributeList(['a,b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(parseAttributeList(undefined)).toEqual([]);
    expect(parseAttributeList({ a: 1 })).toEqual([]);
  });
});

describe('projectResource (RFC 7644 §3.4.2.5)', () => {
  it('returns a copy of everything without parameters', () => {
    const u = user();
    const out = projectResource(USER_RESOURCE, u, {});
    expect(out).toEqual(u);
    expect(out).not.toBe(u);
  });

  it('attributes keeps the named attributes plus schemas, id and meta', () => {
    expect(projectResource(USER_RESOURCE, user(), { attributes: 'userName' })).toEqual({
      schemas: user().schemas,
      id: '2819c223',
      userName: 'bjensen',
      meta: user().meta,
    });
  });

  it('matches names case-insensitively and selects sub-attributes', () => {
    const out = projectResource(USER_RESOURCE, user(), { attributes: 'USERNAME,name.givenname,emails.value' });
    expect(out.userName).toBe('bjensen');
    expect(out.name).toEqual({ givenName: 'Barbara' });
    expect(out.emails).toEqual([{ value: 'b@x.com' }, { value: 'h@x.com' }]);
    expect(out.displayName).toBeUndefined();
  });

  it('handles URN-qualified names for core and extension attributes', () => {
    const out = projectResource(USER_RESOURCE, user(), {
      attributes: `urn:ietf:params:scim:schemas:core:2.0:User:displayName,${ENT}:department,${ENT}:manager.value`,
    });
    expect(out).toEqual({
      schemas: user().schemas,
      id: '2819c223',
      displayName: 'Babs',
      [ENT]: { department: 'Ops', manager: { value: 'm1' } },
      meta: user().meta,
    });
    expect(projectResource(USER_RESOURCE, user(), { attributes: ENT })[ENT]).toEqual(user()[ENT]);
  });

  it('ignores unknown names', () => {
    expect(projectResource(USER_RESOURCE, user(), { attributes: 'nope,urn:x:y:z' })).toEqual({
      schemas: user().schemas,
      id: '2819c223',
      meta: user().meta,
    });
    expect(projectResource(USER_RESOURCE, user(), { excludedAttributes: 'nope,__proto__' })).toEqual(user());
  });

  it('excludedAttributes drops attributes but never id, schemas or meta', () => {
    expect(projectResource(GROUP_RESOURCE, group(), { excludedAttributes: 'members' })).toEqual({
      schemas: group().schemas,
      id: 'g1',
      displayName: 'Admins',
      meta: group().meta,
    });
    expect(projectResource(GROUP_RESOURCE, group(), { excludedAttributes: 'id,schemas,meta' })).toEqual(group());
    const out = projectResource(USER_RESOURCE, user(), {
      excludedAttributes: `emails.type,name.familyName,${ENT}:department`,
    });
    expect(out.emails).toEqual([{ value: 'b@x.com', primary: true }, { value: 'h@x.com' }]);
    expect(out.name).toEqual({ givenName: 'Barbara' });
    expect(out[ENT]).toEqual({ employeeNumber: '7', manager: { value: 'm1' } });
  });

  it('drops complex values left empty', () => {
    expect(
      projectResource(USER_RESOURCE, user(), { excludedAttributes: 'name.givenName,name.familyName' }).name,
    ).toBeUndefined();
    expect(projectResource(USER_RESOURCE, user(), { attributes: 'name.middleName' }).name).toBeUndefined();
  });

  it('applies attributes first, then exclusions', () => {
    const out = projectResource(USER_RESOURCE, user(), {
      attributes: 'userName,displayName',
      excludedAttributes: 'displayName',
    });
    expect(Object.keys(out).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
  });

  it('a whole attribute selection wins over a sub-attribute one', () => {
    expect(projectResource(USER_RESOURCE, user(), { attributes: 'name,name.givenName' }).name).toEqual(user().name);
    expect(projectResource(USER_RESOURCE, user(), { attributes: 'name.givenName,name' }).name).toEqual(user().name);
  });

  it('does not mutate the resource', () => {
    const u = user();
    projectResource(USER_RESOURCE, u, { excludedAttributes: 'emails.type' });
    expect(u).toEqual(user());
  });
});
