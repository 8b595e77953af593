import { ScimError } from '../../../src/scim/protocol/errors';
import { chooseEmail, parseScimBoolean, readUserBody } from '../../../src/scim/users/user-body';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function scimError(fn: () => unknown, scimType: string): ScimError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(400);
    expect((e as ScimError).scimType).toBe(scimType);
    return e as ScimError;
  }
  throw new Error('expected a ScimError');
}

describe('parseScimBoolean', () => {
  it.each([
    [true, true],
    [false, false],
    ['True', true],
    ['FALSE', false],
    [' true ', true],
  ])('%j -> %j', (input, expected) => expect(parseScimBoolean(input)).toBe(expected));

  it.each([['yes'], [1], [0], [null], [undefined], [{}], ['']])('rejects %j', (input) => {
    scimError(() => parseScimBoolean(input, 'active'), 'invalidValue');
  });
});

describe('chooseEmail (the login email)', () => {
  it('prefers the primary email', () => {
    expect(
      chooseEmail({
        emails: [
          { value: 'w@x.com', type: 'work' },
          { value: 'p@x.com', type: 'home', primary: true },
        ],
      }),
    ).toBe('p@x.com');
    expect(
      chooseEmail({
        emails: [
          { value: 'w@x.com', type: 'work' },
          { value: 'p@x.com', primary: 'True' },
        ],
      }),
    ).toBe('p@x.com');
  });

  it('then the work email, then the first', () => {
    expect(
      chooseEmail({
        emails: [
          { value: 'h@x.com', type: 'home' },
          { value: 'w@x.com', type: 'Work' },
        ],
      }),
    ).toBe('w@x.com');
    expect(
      chooseEmail({
        emails: [
          { value: 'h@x.com', type: 'home' },
          { value: 'o@x.com', type: 'other' },
        ],
      }),
    ).toBe('h@x.com');
  });

  it('then userName when it is an address (Entra sends only userName)', () => {
    expect(chooseEmail({ userName: 'user@contoso.com' })).toBe('user@contoso.com');
    expect(chooseEmail({ userName: 'user@contoso.com', emails: [] })).toBe('user@contoso.com');
    expect(chooseEmail({ userName: 'u@x.com', emails: [{ type: 'work' }] })).toBe('u@x.com');
  });

  it('passes over values that are not addresses (Microsoft reference collection)', () => {
    expect(
      chooseEmail({
        emails: [
          { value: 'emailName357', primary: true },
          { value: 'h@bob.com', type: 'home' },
        ],
      }),
    ).toBe('h@bob.com');
    expect(chooseEmail({ userName: 'u@x.com', emails: [{ value: 'nope', type: 'work' }] })).toBe('u@x.com');
    scimError(() => chooseEmail({ userName: 'u', emails: [{ value: 'nope' }] }), 'invalidValue');
  });

  it('rejects a user without any address', () => {
    scimError(() => chooseEmail({ userName: 'bjensen' }), 'invalidValue');
    scimError(() => chooseEmail({}), 'invalidValue');
    scimError(() => chooseEmail(null), 'invalidValue');
  });

  it('reads keys case-insensitively and works on a ScimUserState', () => {
    expect(chooseEmail({ Emails: [{ Value: 'a@x.com' }] })).toBe('a@x.com');
    expect(chooseEmail(readUserBody({ userName: 'u', emails: [{ value: 'a@x.com' }] }))).toBe('a@x.com');
  });
});

describe('readUserBody (POST / PUT, RFC 7643 §4.1)', () => {
  it('reads the RFC 7643 §8.3 enterprise user', () => {
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
      id: '2819c223-7f76-453a-919d-413861904646',
      externalId: '701984',
      userName: 'bjensen@example.com',
      name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane' },
      displayName: 'Babs Jensen',
      nickName: 'Babs',
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza' }],
      phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
      active: true,
      password: 't1meMa$heen',
      groups: [{ value: 'e9e30dba', display: 'Tour Guides' }],
      [ENT]: {
        employeeNumber: '701984',
        costCenter: '4130',
        organization: 'Universal Studios',
        division: 'Theme Park',
        department: 'Tour Operations',
        manager: {
          value: '26118915-6090-4610-87e4-49d8ca9f808d',
          $ref: '../Users/26118915',
          displayName: 'John Smith',
        },
      },
      meta: { resourceType: 'User', version: 'W/"3694e05e9dff591"' },
    };
    const state = readUserBody(body);
    expect(state).toEqual({
      userName: 'bjensen@example.com',
      externalId: '701984',
      displayName: 'Babs Jensen',
      givenName: 'Barbara',
      familyName: 'Jensen',
      formattedName: 'Ms. Barbara J Jensen, III',
      emails: [
        { value: 'bjensen@example.com', type: 'work', primary: true },
        { value: 'babs@jensen.org', type: 'home' },
      ],
      title: null,
      phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
      active: true,
      employeeNumber: '701984',
      costCenter: '4130',
      enterpriseOrganization: 'Universal Studios',
      division: 'Theme Park',
      department: 'Tour Operations',
      manager: '26118915-6090-4610-87e4-49d8ca9f808d',
    });
    expect(JSON.stringify(state)).not.toContain('t1meMa$heen');
  });

  it('defaults absent attributes to null and active to true (PUT replaces)', () => {
    expect(readUserBody({ userName: 'u' })).toEqual({
      userName: 'u',
      externalId: null,
      displayName: null,
      givenName: null,
      familyName: null,
      formattedName: null,
      title: null,
      emails: [],
      phoneNumbers: [],
      active: true,
      employeeNumber: null,
      costCenter: null,
      enterpriseOrganization: null,
      division: null,
      department: null,
      manager: null,
    });
  });

  it('accepts "False" strings, manager as a bare string and URN-prefixed keys (Entra)', () => {
    const state = readUserBody({
      userName: 'u@contoso.com',
      active: 'False',
      [`${ENT}:manager`]: 'boss-id',
      [`${ENT}:department`]: 'Finance',
      'name.givenName': 'G',
    });
    expect(state).toMatchObject({ active: false, manager: 'boss-id', department: 'Finance', givenName: 'G' });
  });

  it('accepts legacy SCIM 1.1 URNs and mixed schemas (OneLogin, Google)', () => {
    const state = readUserBody({
      schemas: ['urn:scim:schemas:core:1.0', 'urn:ietf:params:scim:schemas:core:2.0:User', 'urn:unknown'],
      userName: 'u',
      'urn:scim:schemas:extension:enterprise:1.0': { department: 'Ops' },
      'urn:unknown:ext:1.0:User': { department: 'ignored' },
    });
    expect(state.department).toBe('Ops');
  });

  it('reads attribute names case-insensitively', () => {
    expect(readUserBody({ USERNAME: 'u', DisplayName: 'D', Active: false })).toMatchObject({
      userName: 'u',
      displayName: 'D',
      active: false,
    });
  });

  it('requires userName (RFC 7643 §4.1.1), even when there are emails', () => {
    scimError(() => readUserBody({ emails: [{ value: 'e@x.com', primary: true }] }), 'invalidValue');
    scimError(() => readUserBody({ displayName: 'x' }), 'invalidValue');
    scimError(() => readUserBody({ userName: '' }), 'invalidValue');
  });

  it('rejects non-objects and invalid values', () => {
    scimError(() => readUserBody(null), 'invalidSyntax');
    scimError(() => readUserBody([{ userName: 'u' }]), 'invalidSyntax');
    scimError(() => readUserBody({ userName: 'u', active: 'maybe' }), 'invalidValue');
    scimError(
      () =>
        readUserBody({
          userName: 'u',
          emails: [
            { value: 'a', primary: true },
            { value: 'b', primary: true },
          ],
        }),
      'invalidValue',
    );
    scimError(() => readUserBody({ userName: { first: 'x' } }), 'invalidValue');
  });

  it('is not polluted by prototype keys', () => {
    const state = readUserBody(
      JSON.parse('{"userName": "u", "__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}'),
    );
    expect(state.userName).toBe('u');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
