import { ScimError } from '../../../src/scim/protocol/errors';
import { expandValueObject, normalizePatch } from '../../../src/scim/protocol/patch';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(400);
    return e as ScimError;
  }
  throw new Error('expected a ScimError');
}

describe('normalizePatch (RFC 7644 §3.5.2)', () => {
  it('normalises op names in any case (Entra "Replace", "ADD")', () => {
    const ops = normalizePatch({
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'ADD', path: 'displayName', value: 'x' },
        { op: 'remove', path: 'title' },
      ],
    });
    expect(ops).toEqual([
      { op: 'replace', path: { attr: 'active' }, value: 'False', fromValueObject: false, index: 0 },
      { op: 'add', path: { attr: 'displayName' }, value: 'x', fromValueObject: false, index: 1 },
      { op: 'remove', path: { attr: 'title' }, value: undefined, fromValueObject: false, index: 2 },
    ]);
  });

  it('accepts missing, legacy or unknown schemas and an empty Operations list', () => {
    expect(normalizePatch({ Operations: [] })).toEqual([]);
    expect(normalizePatch({ schemas: ['urn:scim:schemas:core:1.0'], Operations: [] })).toEqual([]);
    expect(
      normalizePatch({ schemas: ['urn:whatever'], operations: [{ op: 'add', path: 'userName', value: 'u' }] }),
    ).toHaveLength(1);
  });

  it('expands a path-less value object with plain, dotted and URN-prefixed keys', () => {
    const ops = normalizePatch({
      Operations: [
        {
          op: 'replace',
          value: {
            active: false,
            'name.givenName': 'Barbara',
            [`${ENT}:department`]: 'Sales',
            [ENT]: { employeeNumber: '42', manager: { value: 'm1' } },
            'urn:ietf:params:scim:schemas:core:2.0:User': { 'name.familyName': 'Jensen' },
          },
        },
      ],
    });
    expect(ops.map((o) => [o.op, o.path, o.value, o.fromValueObject])).toEqual([
      ['replace', { attr: 'active' }, false, true],
      ['replace', { attr: 'name', sub: 'givenName' }, 'Barbara', true],
      ['replace', { urn: ENT, attr: 'department' }, 'Sales', true],
      ['replace', { urn: ENT, attr: 'employeeNumber' }, '42', true],
      ['replace', { urn: ENT, attr: 'manager' }, { value: 'm1' }, true],
      [
        'replace',
        { urn: 'urn:ietf:params:scim:schemas:core:2.0:User', attr: 'name', sub: 'familyName' },
        'Jensen',
        true,
      ],
    ]);
  });

  it('drops prototype keys, non-attribute keys and unknown URN objects', () => {
    const value = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": 1, "prototype": 2, "not an attr": 3, "urn:acme:ext:1.0:User": {"a": 1}, "userName": "u"}',
    );
    const ops = normalizePatch({ Operations: [{ op: 'add', value }] });
    expect(ops.map((o) => o.path)).toEqual([{ attr: 'userName' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats remove without path but with a value object as per-attribute removes', () => {
    const ops = normalizePatch({ Operations: [{ op: 'remove', value: { members: [{ value: 'a' }] } }] });
    expect(ops).toEqual([
      { op: 'remove', path: { attr: 'members' }, value: [{ value: 'a' }], fromValueObject: true, index: 0 },
    ]);
  });

  it('parses value-path paths', () => {
    const [op] = normalizePatch({
      Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'a@b.c' }],
    });
    expect(op.path).toEqual({
      attr: 'emails',
      sub: 'value',
      filter: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' },
    });
  });

  it('reads Operations/op/path/value keys case-insensitively', () => {
    expect(normalizePatch({ operations: [{ OP: 'add', Path: 'userName', Value: 'x' }] })).toEqual([
      { op: 'add', path: { attr: 'userName' }, value: 'x', fromValueObject: false, index: 0 },
    ]);
  });

  it('treats an empty path as no path', () => {
    expect(
      normalizePatch({ Operations: [{ op: 'replace', path: '', value: { userName: 'x' } }] })[0].fromValueObject,
    ).toBe(true);
  });

  it.each([
    [null, 'invalidSyntax'],
    ['text', 'invalidSyntax'],
    [[], 'invalidSyntax'],
    [{}, 'invalidSyntax'],
    [{ Operations: {} }, 'invalidSyntax'],
    [{ Operations: [null] }, 'invalidSyntax'],
    [{ Operations: [{ op: 'move', path: 'userName' }] }, 'invalidSyntax'],
    [{ Operations: [{ path: 'userName', value: 'x' }] }, 'invalidSyntax'],
    [{ Operations: [{ op: 'remove' }] }, 'noTarget'],
    [{ Operations: [{ op: 'add', value: 'x' }] }, 'invalidValue'],
    [{ Operations: [{ op: 'replace', value: [{ userName: 'x' }] }] }, 'invalidValue'],
    [{ Operations: [{ op: 'add', path: 5, value: 'x' }] }, 'invalidPath'],
    [{ Operations: [{ op: 'add', path: 'emails[type eq', value: 'x' }] }, 'invalidPath'],
    [{ Operations: Array.from({ length: 1001 }, () => ({ op: 'add', path: 'userName', value: 'x' })) }, 'invalidValue'],
  ])('rejects %j with %s', (body, scimType) => {
    expect(scimError(() => normalizePatch(body)).scimType).toBe(scimType);
  });

  it('names the failing operation in the detail', () => {
    const err = scimError(() => normalizePatch({ Operations: [{ op: 'add', path: 'a', value: 1 }, { op: 'nope' }] }));
    expect(err.detail).toMatch(/Operations\[1\]/);
  });
});

describe('expandValueObject', () => {
  it('keeps a URN already present in a nested key', () => {
    expect(expandValueObject('add', { [ENT]: { [`${ENT}:department`]: 'x' } })[0].path).toEqual({
      urn: ENT,
      attr: 'department',
    });
  });
});
