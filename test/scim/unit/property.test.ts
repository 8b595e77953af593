/**
 * Property tests: whatever a client sends, the pure SCIM building blocks either succeed or throw ScimError (a 4xx),
 * never another error type (a 5xx, which IdPs retry forever).
 */
import fc from 'fast-check';
import { ScimError } from '../../../src/scim/protocol/errors';
import { compileGroupFilter } from '../../../src/repositories/group-filter-sql';
import { compileMemberFilter } from '../../../src/repositories/member-filter-sql';
import { parseFilter, parsePath } from '../../../src/scim/protocol/filter';
import { resolveGroupFilter } from '../../../src/scim/groups/group-query';
import { resolveUserFilter } from '../../../src/scim/users/user-query';
import { normalizePatch } from '../../../src/scim/protocol/patch';
import { applyUserPatch } from '../../../src/scim/users/user-patch';
import { groupPatchPlan } from '../../../src/scim/groups/group-patch';
import { projectResource } from '../../../src/scim/protocol/projection';
import { USER_RESOURCE } from '../../../src/scim/users/user-attributes';
import { emptyUserState } from '../../../src/scim/protocol/types';
import { chooseEmail, readUserBody } from '../../../src/scim/users/user-body';

const RUNS = { numRuns: Number(process.env.SCIM_PROPERTY_RUNS ?? 1500) };

/** Runs fn; a ScimError must be a 400, any other exception fails the property. */
function succeedsOrScimError(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof ScimError) return e.status === 400;
    throw e;
  }
}

// Pieces of the filter/path grammar, so random combinations reach deep into the parser and compiler.
const attrs = [
  'userName',
  'USERNAME',
  'emails',
  'emails.value',
  'emails.type',
  'emails.primary',
  'name.givenName',
  'name',
  'active',
  'id',
  'externalId',
  'displayName',
  'meta.created',
  'meta.lastModified',
  'members',
  'members.value',
  'groups',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName',
  'manager.value',
  'title',
  '__proto__',
  'constructor',
  'value',
  'type',
  'primary',
  'x.y.z',
  'urn:a:b',
];
const tokens = [
  ...attrs,
  'eq',
  'Eq',
  'ne',
  'co',
  'sw',
  'ew',
  'pr',
  'gt',
  'ge',
  'lt',
  'le',
  'and',
  'or',
  'not',
  'AND',
  'Or',
  '(',
  ')',
  '[',
  ']',
  '].',
  '.',
  '"work"',
  '"True"',
  'true',
  'false',
  'null',
  '42',
  '-1.5e3',
  '"2020-01-01T00:00:00Z"',
  '"a\\"b"',
  '"\\\\"',
  '"',
  '"2819c223-7f76-453a-919d-413861904646"',
  "'x'",
  '+',
  ' ',
  '%',
  '_',
  '?',
  '\\',
  '$1',
  '--',
  ';',
];
const grammarish = fc.array(fc.constantFrom(...tokens), { maxLength: 30 }).map((parts) => parts.join(' '));
const joined = fc.array(fc.constantFrom(...tokens), { maxLength: 30 }).map((parts) => parts.join(''));
const anyText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  grammarish,
  joined,
);

describe('filter parser and compiler never fail with a non-SCIM error', () => {
  // resolved by SCIM, compiled by the repository: the compiler's own errors (fail closed) must never be reached
  it('parseFilter / resolve / compile on random text', () => {
    fc.assert(
      fc.property(
        anyText,
        (text) =>
          succeedsOrScimError(() => {
            parseFilter(text);
          }) &&
          succeedsOrScimError(() => compileMemberFilter(resolveUserFilter(text))) &&
          succeedsOrScimError(() => compileGroupFilter(resolveGroupFilter(text))),
      ),
      RUNS,
    );
  });

  it('parsePath on random text', () => {
    fc.assert(
      fc.property(anyText, (text) => succeedsOrScimError(() => parsePath(text))),
      RUNS,
    );
  });

  it('compiled SQL has one param per placeholder and never contains the string values', () => {
    const value = fc.string({ maxLength: 40 });
    const op = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'le');
    const attr = fc.constantFrom(
      'userName',
      'displayName',
      'externalId',
      'emails.value',
      'name.familyName',
      'department',
      'title',
      'phoneNumbers.value',
      'costCenter',
    );
    const clause = fc.tuple(attr, op, value).map(([a, o, v]) => ({ text: `${a} ${o} ${JSON.stringify(v)}`, a, o }));
    fc.assert(
      fc.property(
        fc.array(clause, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(' and ', ' or '),
        (clauses, join) => {
          const compile = (text: string) => compileMemberFilter(resolveUserFilter(text));
          const { sql, params } = compile(clauses.map((c) => c.text).join(join));
          const benign = compile(clauses.map((c) => `${c.a} ${c.o} "benign"`).join(join));
          return sql === benign.sql && (sql.match(/\?/g) ?? []).length === params.length;
        },
      ),
      RUNS,
    );
  });
});

// Random JSON with PATCH-shaped pieces mixed in.
const keys = fc.constantFrom(
  'op',
  'path',
  'value',
  'Operations',
  'schemas',
  'members',
  'emails',
  'userName',
  'active',
  'name',
  'name.givenName',
  'displayName',
  'externalId',
  '__proto__',
  'constructor',
  'prototype',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
  'manager',
  'primary',
  'type',
  'id',
  'password',
  'x',
);
const scalar = fc.oneof(
  fc.constantFrom(
    'add',
    'Replace',
    'REMOVE',
    'True',
    'False',
    'work',
    'members[value eq "a"]',
    'emails[type eq "work"].value',
    'emails[primary eq true]',
    'name.givenName',
    'members',
    'active',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
    'addresses[type eq "work"].streetAddress',
    'a@b.c',
    '',
    ' ',
  ),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(keys, fc.string({ maxLength: 10 })), tie('node'), { maxKeys: 5 }),
})).node;
const operation = fc.record({ op: scalar, path: scalar, value: json }, { requiredKeys: [] });
const patchBody = fc.oneof(
  json,
  fc.record(
    { schemas: json, Operations: fc.array(fc.oneof(operation, json), { maxLength: 6 }) },
    { requiredKeys: ['Operations'] },
  ),
);

describe('PATCH normaliser and appliers never fail with a non-SCIM error', () => {
  it('normalizePatch + applyUserPatch + groupPatchPlan on random bodies', () => {
    const state = {
      ...emptyUserState(),
      userName: 'u',
      emails: [{ value: 'a@b.c', type: 'work', primary: true }],
    };
    fc.assert(
      fc.property(patchBody, (body) =>
        succeedsOrScimError(() => {
          const ops = normalizePatch(body);
          succeedsOrScimError(() => applyUserPatch(state, ops));
          succeedsOrScimError(() => groupPatchPlan(ops));
        }),
      ),
      RUNS,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('readUserBody / chooseEmail / projectResource on random bodies', () => {
    fc.assert(
      fc.property(
        json,
        anyText,
        (body, attributes) =>
          succeedsOrScimError(() => readUserBody(body)) &&
          succeedsOrScimError(() => chooseEmail(body)) &&
          succeedsOrScimError(() =>
            projectResource(
              USER_RESOURCE,
              { schemas: [], id: '1', userName: 'u', name: { givenName: 'g' } },
              { attributes, excludedAttributes: attributes },
            ),
          ),
      ),
      RUNS,
    );
  });

  it('prototype keys never leak onto Object.prototype', () => {
    const body = JSON.parse(
      '{"Operations":[{"op":"add","value":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}},' +
        '{"op":"add","path":"members","value":[{"value":"a","__proto__":{"polluted":1}}]}]}',
    );
    const ops = normalizePatch(body);
    applyUserPatch(
      { ...emptyUserState(), userName: 'u' },
      ops.filter((o) => o.path.attr !== 'members'),
    );
    groupPatchPlan(ops);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
