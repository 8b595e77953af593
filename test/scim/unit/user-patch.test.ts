import { ScimError } from '../../../src/scim/protocol/errors';
import { normalizePatch } from '../../../src/scim/protocol/patch';
import { applyUserPatch } from '../../../src/scim/users/user-patch';
import { type ScimUserState, emptyUserState } from '../../../src/scim/protocol/types';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const base = (): ScimUserState => ({
  ...emptyUserState(),
  userName: 'bjensen@example.com',
  externalId: 'ext-1',
  displayName: 'Babs Jensen',
  givenName: 'Barbara',
  familyName: 'Jensen',
  formattedName: 'Ms. Barbara J Jensen',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  employeeNumber: '701984',
  department: 'Tour Operations',
  manager: 'mgr-1',
});

const patch = (state: ScimUserState, ...operations: unknown[]) =>
  applyUserPatch(state, normalizePatch({ schemas: [PATCH], Operations: operations }));

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

describe('applyUserPatch: simple attributes', () => {
  it('does not mutate its input', () => {
    const before = base();
    const snapshot = JSON.parse(JSON.stringify(before));
    patch(
      before,
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@x.com' },
      { op: 'replace', path: 'active', value: false },
    );
    expect(before).toEqual(snapshot);
  });

  it('an empty Operations list is a no-op', () => {
    expect(patch(base())).toEqual(base());
  });

  it('replaces, adds and removes single-valued attributes with a path', () => {
    const s = patch(
      base(),
      { op: 'replace', path: 'userName', value: 'new@example.com' },
      { op: 'add', path: 'displayName', value: 'B' },
      { op: 'remove', path: 'externalId' },
      { op: 'replace', path: 'name.givenName', value: 'Babs' },
      { op: 'remove', path: 'name.formatted' },
    );
    expect(s).toMatchObject({
      userName: 'new@example.com',
      displayName: 'B',
      externalId: null,
      givenName: 'Babs',
      formattedName: null,
    });
  });

  it('accepts attribute names in any case and URN-qualified core paths', () => {
    const s = patch(
      base(),
      { op: 'replace', path: 'USERNAME', value: 'u2' },
      { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:displayName', value: 'D' },
      { op: 'replace', path: 'Name.FamilyName', value: 'F' },
    );
    expect(s).toMatchObject({ userName: 'u2', displayName: 'D', familyName: 'F' });
  });

  it('replaces without a path from a value object (Okta deactivate, dotted keys)', () => {
    const s = patch(base(), {
      op: 'replace',
      value: { active: false, 'name.familyName': 'J', displayName: 'X', id: 'ignored' },
    });
    expect(s).toMatchObject({ active: false, familyName: 'J', displayName: 'X' });
  });

  it('merges name as an object and clears it on remove', () => {
    const s = patch(base(), { op: 'replace', path: 'name', value: { givenName: 'G', familyname: 'F' } });
    expect(s).toMatchObject({ givenName: 'G', familyName: 'F', formattedName: 'Ms. Barbara J Jensen' });
    expect(patch(base(), { op: 'remove', path: 'name' })).toMatchObject({
      givenName: null,
      familyName: null,
      formattedName: null,
    });
    expect(patch(base(), { op: 'add', value: { name: { formatted: 'Full' } } }).formattedName).toBe('Full');
  });

  it('treats a null or empty value as clearing an optional attribute', () => {
    expect(patch(base(), { op: 'replace', path: 'displayName', value: null }).displayName).toBeNull();
    expect(patch(base(), { op: 'replace', path: 'displayName', value: '' }).displayName).toBeNull();
  });

  it('applies operations in order', () => {
    const s = patch(
      base(),
      { op: 'replace', path: 'displayName', value: 'A' },
      { op: 'remove', path: 'displayName' },
      { op: 'add', path: 'displayName', value: 'C' },
    );
    expect(s.displayName).toBe('C');
  });
});

describe('applyUserPatch: active', () => {
  it.each([[false], ['False'], ['false'], [' FALSE ']])('deactivates with %j (Entra "False")', (value) => {
    expect(patch(base(), { op: 'Replace', path: 'active', value }).active).toBe(false);
  });

  it('activates with "True" and true, with or without path', () => {
    const inactive = { ...base(), active: false };
    expect(patch(inactive, { op: 'replace', path: 'active', value: 'True' }).active).toBe(true);
    expect(patch(inactive, { op: 'replace', value: { active: true } }).active).toBe(true);
  });

  it('rejects other values and removal', () => {
    scimError(() => patch(base(), { op: 'replace', path: 'active', value: 'yes' }), 'invalidValue');
    scimError(() => patch(base(), { op: 'replace', path: 'active', value: null }), 'invalidValue');
    scimError(() => patch(base(), { op: 'remove', path: 'active' }), 'invalidValue');
    scimError(() => patch(base(), { op: 'replace', value: { active: 1 } }), 'invalidValue');
  });
});

describe('applyUserPatch: enterprise extension', () => {
  it('sets attributes by URN path, URN-prefixed key and nested URN object', () => {
    expect(patch(base(), { op: 'replace', path: `${ENT}:department`, value: 'Sales' }).department).toBe('Sales');
    expect(patch(base(), { op: 'replace', value: { [`${ENT}:employeeNumber`]: '1' } }).employeeNumber).toBe('1');
    expect(patch(base(), { op: 'add', value: { [ENT]: { department: 'D', employeeNumber: 7 } } })).toMatchObject({
      department: 'D',
      employeeNumber: '7',
    });
    expect(patch(base(), { op: 'replace', path: 'department', value: 'NoUrn' }).department).toBe('NoUrn');
  });

  it('accepts manager as a bare string (Entra), {value}, or manager.value', () => {
    expect(patch(base(), { op: 'Add', path: `${ENT}:manager`, value: 'm-2' }).manager).toBe('m-2');
    expect(
      patch(base(), { op: 'replace', path: `${ENT}:manager`, value: { value: 'm-3', displayName: 'Boss' } }).manager,
    ).toBe('m-3');
    expect(patch(base(), { op: 'replace', path: `${ENT}:manager.value`, value: 'm-4' }).manager).toBe('m-4');
    expect(patch(base(), { op: 'replace', value: { [ENT]: { manager: { value: 'm-5' } } } }).manager).toBe('m-5');
    expect(patch(base(), { op: 'replace', path: `${ENT}:manager`, value: [{ value: 'm-6' }] }).manager).toBe('m-6');
    expect(patch(base(), { op: 'Remove', path: `${ENT}:manager` }).manager).toBeNull();
    expect(patch(base(), { op: 'replace', path: `${ENT}:manager`, value: { value: '' } }).manager).toBeNull();
    expect(patch(base(), { op: 'replace', path: `${ENT}:manager.displayName`, value: 'ignored' }).manager).toBe(
      'mgr-1',
    );
  });

  it('rejects core attributes under the enterprise URN in a path', () => {
    scimError(() => patch(base(), { op: 'replace', path: `${ENT}:userName`, value: 'x' }), 'invalidPath');
  });

  it('accepts the legacy SCIM 1.1 URNs (OneLogin)', () => {
    expect(
      patch(base(), { op: 'replace', path: 'urn:scim:schemas:core:1.0:displayName', value: 'L' }).displayName,
    ).toBe('L');
    expect(
      patch(base(), { op: 'replace', value: { 'urn:scim:schemas:extension:enterprise:1.0': { department: 'Legacy' } } })
        .department,
    ).toBe('Legacy');
  });
});

describe('applyUserPatch: emails', () => {
  it('replaces the work email by value path (Entra)', () => {
    const s = patch(base(), { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' });
    expect(s.emails).toEqual([
      { value: 'new@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
  });

  it('creates the work email when missing, for replace and add', () => {
    const none = { ...base(), emails: [] };
    expect(patch(none, { op: 'Replace', path: 'emails[type eq "work"].value', value: 'w@x.com' }).emails).toEqual([
      { value: 'w@x.com', type: 'work' },
    ]);
    expect(patch(none, { op: 'Add', path: 'emails[type eq "work"].value', value: 'w@x.com' }).emails).toEqual([
      { value: 'w@x.com', type: 'work' },
    ]);
    expect(
      patch(none, { op: 'add', path: 'emails[type eq "work" and primary eq true].value', value: 'w@x.com' }).emails,
    ).toEqual([{ value: 'w@x.com', type: 'work', primary: true }]);
  });

  it('targets the primary email with emails[primary eq true].value', () => {
    const s = patch(base(), { op: 'replace', path: 'emails[primary eq true].value', value: 'p@x.com' });
    expect(s.emails[0]).toEqual({ value: 'p@x.com', type: 'work', primary: true });
    expect(
      patch({ ...base(), emails: [] }, { op: 'replace', path: 'emails[primary eq true].value', value: 'p@x.com' })
        .emails,
    ).toEqual([{ value: 'p@x.com', primary: true }]);
  });

  it('is noTarget when a filter matches nothing and does not describe an entry', () => {
    scimError(() => patch(base(), { op: 'replace', path: 'emails[value co "zzz"].type', value: 'other' }), 'noTarget');
  });

  it('removes entries matched by a filter, and is a no-op when none match', () => {
    expect(patch(base(), { op: 'remove', path: 'emails[type eq "home"]' }).emails).toEqual([base().emails[0]]);
    expect(patch(base(), { op: 'remove', path: 'emails[type eq "home"].value' }).emails).toEqual([base().emails[0]]);
    expect(patch(base(), { op: 'remove', path: 'emails[type eq "other"]' }).emails).toEqual(base().emails);
    expect(patch(base(), { op: 'remove', path: 'emails[type eq "home"].type' }).emails[1]).toEqual({
      value: 'babs@jensen.org',
    });
  });

  it('replaces the whole list with and without a path (Okta)', () => {
    const list = [{ value: 'only@x.com', type: 'work', primary: 'True' }];
    expect(patch(base(), { op: 'replace', path: 'emails', value: list }).emails).toEqual([
      { value: 'only@x.com', type: 'work', primary: true },
    ]);
    expect(patch(base(), { op: 'replace', value: { emails: list } }).emails).toEqual([
      { value: 'only@x.com', type: 'work', primary: true },
    ]);
  });

  it('adds emails, updating an existing address and keeping one primary', () => {
    const s = patch(base(), {
      op: 'add',
      path: 'emails',
      value: [
        { value: 'o@x.com', type: 'other', primary: true },
        { value: 'BABS@jensen.org', type: 'home2' },
      ],
    });
    expect(s.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'BABS@jensen.org', type: 'home2' },
      { value: 'o@x.com', type: 'other', primary: true },
    ]);
  });

  it('removes all emails, or the ones listed in value', () => {
    expect(patch(base(), { op: 'remove', path: 'emails' }).emails).toEqual([]);
    expect(patch(base(), { op: 'remove', path: 'emails', value: [{ value: 'BJENSEN@example.com' }] }).emails).toEqual([
      base().emails[1],
    ]);
  });

  it('updates a matched entry with an object value', () => {
    const s = patch(base(), {
      op: 'replace',
      path: 'emails[type eq "home"]',
      value: { value: 'h@x.com', primary: true },
    });
    expect(s.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'h@x.com', type: 'home', primary: true },
    ]);
  });

  it('applies emails.value without a filter to the primary email', () => {
    expect(patch(base(), { op: 'replace', path: 'emails.value', value: 'z@x.com' }).emails[0].value).toBe('z@x.com');
  });

  it('rejects bad email values', () => {
    scimError(() => patch(base(), { op: 'replace', path: 'emails', value: [{ type: 'work' }] }), 'invalidValue');
    scimError(
      () =>
        patch(base(), {
          op: 'replace',
          path: 'emails',
          value: [
            { value: 'a@x', primary: true },
            { value: 'b@x', primary: true },
          ],
        }),
      'invalidValue',
    );
    scimError(() => patch(base(), { op: 'replace', path: 'emails[type eq "work"].value', value: '' }), 'invalidValue');
    scimError(
      () => patch(base(), { op: 'replace', path: 'emails[type eq "work"].primary', value: 'maybe' }),
      'invalidValue',
    );
    scimError(() => patch(base(), { op: 'replace', path: 'emails', value: [42] }), 'invalidValue');
  });
});

describe('applyUserPatch: ignored and unknown attributes', () => {
  it('ignores read-only keys and password (accepted, never stored)', () => {
    const s = patch(
      base(),
      { op: 'replace', value: { id: 'x', meta: {}, schemas: [], groups: [], password: 's3cret' } },
      { op: 'replace', path: 'password', value: 's3cret' },
    );
    expect(s).toEqual(base());
    expect(JSON.stringify(s)).not.toContain('s3cret');
  });

  it('ignores RFC 7643 attributes we do not store (Entra default mapping)', () => {
    const s = patch(
      base(),
      { op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'Add', path: 'preferredLanguage', value: 'en' },
      { op: 'Add', path: 'nickName', value: 'd' },
      { op: 'Add', path: 'name.middleName', value: 'M' },
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].display', value: 'x' },
    );
    expect(s).toEqual(base());
  });

  it('stores title, phoneNumbers, costCenter and the enterprise organization (Entra default mapping)', () => {
    const s = patch(
      base(),
      { op: 'Add', path: 'title', value: 'Boss' },
      { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
      { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0199' },
      { op: 'Add', path: `${ENT}:costCenter`, value: 'cc' },
      { op: 'Add', path: `${ENT}:organization`, value: 'Contoso' },
    );
    expect(s).toEqual({
      ...base(),
      title: 'Boss',
      phoneNumbers: [
        { type: 'mobile', value: '+1 555 0100' },
        { type: 'work', value: '+1 555 0199' },
      ],
      costCenter: 'cc',
      enterpriseOrganization: 'Contoso',
    });
    const removed = patch(
      s,
      { op: 'remove', path: 'phoneNumbers[type eq "mobile"]' },
      { op: 'remove', path: 'title' },
      { op: 'replace', value: { [ENT]: { costCenter: 'cc2' } } },
    );
    expect(removed).toMatchObject({ title: null, phoneNumbers: [{ type: 'work' }], costCenter: 'cc2' });
  });

  it('ignores unknown keys inside value objects but rejects unknown attributes in a path', () => {
    expect(
      patch(base(), { op: 'replace', value: { favouriteColour: 'blue', 'urn:acme:1.0:User:x': 1, displayName: 'ok' } })
        .displayName,
    ).toBe('ok');
    scimError(() => patch(base(), { op: 'replace', path: 'favouriteColour', value: 'blue' }), 'invalidPath');
    scimError(() => patch(base(), { op: 'replace', path: 'userName.first', value: 'x' }), 'invalidPath');
    scimError(() => patch(base(), { op: 'replace', path: 'name.nickname', value: 'x' }), 'invalidPath');
    scimError(() => patch(base(), { op: 'replace', path: 'displayName[value eq "x"]', value: 'x' }), 'invalidPath');
    scimError(() => patch(base(), { op: 'replace', path: 'urn:acme:1.0:User:x', value: 'x' }), 'invalidPath');
    scimError(() => patch(base(), { op: 'replace', path: '__proto__', value: { polluted: true } }), 'invalidPath');
  });

  it('rejects removing or emptying userName and non-string values', () => {
    scimError(() => patch(base(), { op: 'remove', path: 'userName' }), 'invalidValue');
    scimError(() => patch(base(), { op: 'replace', path: 'userName', value: '  ' }), 'invalidValue');
    scimError(() => patch(base(), { op: 'replace', path: 'displayName', value: { a: 1 } }), 'invalidValue');
    scimError(() => patch(base(), { op: 'replace', path: 'name', value: 'flat' }), 'invalidValue');
  });

  it('is atomic: one bad operation fails the whole PATCH', () => {
    const state = base();
    scimError(
      () =>
        patch(
          state,
          { op: 'replace', path: 'displayName', value: 'changed' },
          { op: 'replace', path: 'active', value: 'nope' },
        ),
      'invalidValue',
    );
    expect(state.displayName).toBe('Babs Jensen');
  });
});
