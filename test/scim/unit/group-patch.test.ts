import { ScimError } from '../../../src/scim/protocol/errors';
import { normalizePatch } from '../../../src/scim/protocol/patch';
import { groupPatchPlan } from '../../../src/scim/groups/group-patch';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

const plan = (...operations: unknown[]) =>
  groupPatchPlan(
    normalizePatch({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations }),
  );

const deltas = (add: string[] = [], remove: string[] = []) => ({ add, remove, removeAll: false });

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

describe('groupPatchPlan: attributes', () => {
  it('an empty Operations list is a no-op', () => {
    expect(plan()).toEqual(deltas());
  });

  it('replaces displayName by path or value object (Okta sends {id, displayName})', () => {
    expect(plan({ op: 'replace', path: 'displayName', value: 'Eng' })).toEqual({ ...deltas(), displayName: 'Eng' });
    expect(plan({ op: 'replace', value: { id: 'abc', displayName: 'Eng 2' } })).toEqual({
      ...deltas(),
      displayName: 'Eng 2',
    });
    expect(plan({ op: 'Replace', value: { DisplayName: 'Eng 3', schemas: [], meta: {} } }).displayName).toBe('Eng 3');
  });

  it('replaces and removes externalId', () => {
    expect(plan({ op: 'replace', path: 'externalId', value: 'x-1' }).externalId).toBe('x-1');
    expect(plan({ op: 'remove', path: 'externalId' }).externalId).toBeNull();
  });

  it('rejects an empty displayName or removing it', () => {
    scimError(() => plan({ op: 'replace', path: 'displayName', value: '' }), 'invalidValue');
    scimError(() => plan({ op: 'replace', path: 'displayName', value: { a: 1 } }), 'invalidValue');
    expect(plan({ op: 'replace', path: 'displayName', value: 5 }).displayName).toBe('5');
    scimError(() => plan({ op: 'remove', path: 'displayName' }), 'invalidValue');
  });

  it('rejects unknown attributes in a path, ignores them in value objects', () => {
    scimError(() => plan({ op: 'replace', path: 'description', value: 'x' }), 'invalidPath');
    scimError(
      () => plan({ op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:displayName', value: 'x' }),
      'invalidPath',
    );
    expect(plan({ op: 'replace', value: { description: 'x', displayName: 'ok' } }).displayName).toBe('ok');
  });
});

describe('groupPatchPlan: members', () => {
  it('adds members from a value array, ignoring display and $ref: null', () => {
    expect(
      plan({
        op: 'add',
        path: 'members',
        value: [
          { value: A, display: 'Alice' },
          { value: B, $ref: null },
        ],
      }),
    ).toEqual(deltas([A, B]));
  });

  it('deduplicates repeated adds (JumpCloud)', () => {
    expect(
      plan(
        { op: 'add', path: 'members', value: [{ value: A }, { value: A }] },
        { op: 'add', path: 'members', value: [{ value: A.toUpperCase() }, { value: B }] },
      ),
    ).toEqual(deltas([A, B]));
  });

  it('removes a member by value filter (Okta), also several joined with or', () => {
    expect(plan({ op: 'remove', path: `members[value eq "${A}"]` })).toEqual(deltas([], [A]));
    expect(plan({ op: 'remove', path: `members[value eq "${A}" or value eq "${B}"]` })).toEqual(deltas([], [A, B]));
    expect(plan({ op: 'REMOVE', path: `Members[Value Eq "${A}"]` })).toEqual(deltas([], [A]));
  });

  it('removes members listed in a value array (Entra, JumpCloud)', () => {
    expect(plan({ op: 'Remove', path: 'members', value: [{ value: A }, { value: B }] })).toEqual(deltas([], [A, B]));
  });

  it('removes all members when remove has no value', () => {
    expect(plan({ op: 'remove', path: 'members' })).toEqual({ add: [], remove: [], removeAll: true });
  });

  it('replaces the member set, with a path or a value object', () => {
    expect(plan({ op: 'replace', path: 'members', value: [{ value: A }, { value: B }] })).toEqual({
      ...deltas(),
      replace: [A, B],
    });
    expect(plan({ op: 'replace', value: { members: [{ value: C }] } })).toEqual({ ...deltas(), replace: [C] });
    expect(plan({ op: 'replace', path: 'members', value: [] })).toEqual({ add: [], remove: [], removeAll: true });
  });

  it('combines operations in order', () => {
    // replace then add = replace set plus adds
    expect(
      plan(
        { op: 'replace', path: 'members', value: [{ value: A }] },
        { op: 'add', path: 'members', value: [{ value: B }] },
      ),
    ).toEqual({
      ...deltas(),
      replace: [A, B],
    });
    // remove all then add = replace with the adds
    expect(plan({ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [{ value: C }] })).toEqual({
      ...deltas(),
      replace: [C],
    });
    // replace then remove
    expect(
      plan(
        { op: 'replace', path: 'members', value: [{ value: A }, { value: B }] },
        { op: 'remove', path: `members[value eq "${A}"]` },
      ),
    ).toEqual({
      ...deltas(),
      replace: [B],
    });
    // add then remove of the same id: removed; remove then add: added
    expect(
      plan(
        { op: 'add', path: 'members', value: [{ value: A }, { value: B }] },
        { op: 'remove', path: 'members', value: [{ value: A }] },
      ),
    ).toEqual(deltas([B], [A]));
    expect(
      plan(
        { op: 'remove', path: 'members', value: [{ value: A }] },
        { op: 'add', path: 'members', value: [{ value: A }] },
      ),
    ).toEqual(deltas([A], []));
    // add then replace: the replace wins
    expect(
      plan(
        { op: 'add', path: 'members', value: [{ value: A }] },
        { op: 'replace', path: 'members', value: [{ value: B }] },
      ),
    ).toEqual({
      ...deltas(),
      replace: [B],
    });
    // Okta group push: rename and remove in one request
    expect(
      plan(
        { op: 'replace', value: { id: 'g', displayName: 'Renamed' } },
        { op: 'remove', path: `members[value eq "${C}"]` },
      ),
    ).toEqual({ ...deltas([], [C]), displayName: 'Renamed' });
  });

  it('accepts bare id strings and a single member object', () => {
    expect(plan({ op: 'add', path: 'members', value: [A, { value: B }] })).toEqual(deltas([A, B]));
    expect(plan({ op: 'add', path: 'members', value: { value: A } })).toEqual(deltas([A]));
    expect(plan({ op: 'add', path: 'members.value', value: [A] })).toEqual(deltas([A]));
  });

  it("returns ids as given (validation is the caller's)", () => {
    expect(plan({ op: 'add', path: 'members', value: [{ value: 'not-a-uuid' }] })).toEqual(deltas(['not-a-uuid']));
  });

  it('ignores display-only sub-attribute operations', () => {
    expect(plan({ op: 'replace', path: `members[value eq "${A}"].display`, value: 'x' })).toEqual(deltas());
  });

  it('rejects bad member values and unsupported filters', () => {
    scimError(() => plan({ op: 'add', path: 'members', value: [{ display: 'no value' }] }), 'invalidValue');
    scimError(() => plan({ op: 'add', path: 'members', value: [{ value: '' }] }), 'invalidValue');
    scimError(() => plan({ op: 'add', path: 'members', value: [{ value: 42 }] }), 'invalidValue');
    scimError(() => plan({ op: 'add', path: 'members' }), 'invalidValue');
    scimError(() => plan({ op: 'remove', path: 'members[display eq "x"]' }), 'invalidPath');
    scimError(() => plan({ op: 'remove', path: 'members[value co "x"]' }), 'invalidPath');
    scimError(() => plan({ op: 'add', path: `members[value eq "${A}"]`, value: [] }), 'invalidPath');
    scimError(() => plan({ op: 'replace', path: 'displayName[value eq "x"]', value: 'x' }), 'invalidPath');
    scimError(() => plan({ op: 'add', path: 'members.foo', value: [] }), 'invalidPath');
  });

  it('never pollutes prototypes from member objects', () => {
    const value = JSON.parse(`[{"value": "${A}", "__proto__": {"polluted": true}}]`);
    expect(plan({ op: 'add', path: 'members', value })).toEqual(deltas([A]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
