/**
 * Property test through the real HTTP app: random filters, PATCH paths and bodies, random JSON
 * bodies on POST/PUT and random query parameters never produce a 5xx; every 4xx carries a SCIM error body
 * (RFC 7644 §3.12); and a rejected request changes nothing (the provisioning tables' fingerprint is the same
 * before and after).
 *
 * Runs: SCIM_HTTP_PROPERTY_RUNS per property (default 80; 6 properties). Seed: FC_SEED, else random; printed at
 * the start and, by fast-check, in the failure message, so a failing run can be replayed with FC_SEED=<seed>.
 */
import fc from 'fast-check';
import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { GROUP_SCHEMA, PATCH_SCHEMA, type ScimOrg, USER_SCHEMA, newUser, scim, scimOrg } from '../helpers/scim';
import { ENTERPRISE, ERROR_SCHEMA, fingerprint } from './support';

const RUNS = Number(process.env.SCIM_HTTP_PROPERTY_RUNS ?? 80);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

let t: TestApp;
let o: ScimOrg;
const userIds: string[] = [];
const groupIds: string[] = [];
let foreignUserId: string;

beforeAll(async () => {
  console.log(`[scim property] seed ${SEED} (replay with FC_SEED=${SEED}), ${RUNS} runs per property`);
  t = await createTestApp({ SCIM_RATE_LIMIT_PER_SECOND: '1000000', SCIM_RATE_LIMIT_BURST: '1000000' }); // the limiter is not what is under test here
  o = await scimOrg(t);
  for (let i = 0; i < 4; i++) {
    userIds.push(
      (
        await scim(t, o)
          .post('/Users', newUser(undefined, { externalId: `ext-${i}-${unique()}`, displayName: `Seed ${i}` }))
          .expect(201)
      ).body.id,
    );
  }
  for (let i = 0; i < 2; i++) {
    groupIds.push(
      (
        await scim(t, o)
          .post('/Groups', { displayName: `Seed group ${i}`, members: [{ value: userIds[i] }] })
          .expect(201)
      ).body.id,
    );
  }
  const other = await scimOrg(t);
  foreignUserId = (await scim(t, other).post('/Users', newUser()).expect(201)).body.id;
}, 120_000);
afterAll(async () => {
  console.log(
    `[scim property] statuses: ${[...seen.entries()]
      .sort()
      .map(([k, n]) => `${k}×${n}`)
      .join(', ')}`,
  );
  await t.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Generators

/** The generators; built after beforeAll, as they draw from the ids of the seeded users and groups. */
function arbitraries() {
  const ATTRS = [
    'userName',
    'USERNAME',
    'displayName',
    'name',
    'name.givenName',
    'name.familyName',
    'name.formatted',
    'name.middleName',
    'emails',
    'emails.value',
    'emails.type',
    'emails.primary',
    'active',
    'id',
    'externalId',
    'meta.created',
    'meta.lastModified',
    'meta',
    'groups',
    'groups.value',
    'members',
    'members.value',
    'members.display',
    'title',
    'phoneNumbers',
    'addresses',
    'password',
    'manager',
    'manager.value',
    'employeeNumber',
    'department',
    `${USER_SCHEMA}:userName`,
    `${USER_SCHEMA}:name.givenName`,
    `${ENTERPRISE}:department`,
    `${ENTERPRISE}:manager`,
    'urn:scim:schemas:core:1.0:userName',
    'urn:unknown:ext:1.0:User:x',
    'nosuch',
    'x.y.z',
    '$ref',
    'value',
    'type',
    '__proto__',
    'constructor',
    '',
  ];
  const OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'Eq', 'CO', 'Sw', 'xx', ''];

  const text = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.string({ unit: 'binary', maxLength: 10 }),
    fc.string({ minLength: 190, maxLength: 450 }),
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '%',
      '%zz',
      '\\',
      '"',
      "'",
      '*',
      '\ud83d\ude00',
      'x@example.test',
      'a;b',
      "x'; drop table member; --",
      '$$;$$',
    ),
  );
  const freshEmail = fc.uuid().map((u) => `u-${u.slice(0, 13)}@example.test`);
  const email = fc.oneof(freshEmail, fc.emailAddress(), text, fc.constant('x@example.test'));
  const knownId = () =>
    fc.constantFrom(...userIds, ...groupIds, foreignUserId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', '');
  const compValue = fc.oneof(
    text.map((s) => JSON.stringify(s)),
    fc.constantFrom(
      'true',
      'False',
      'null',
      '42',
      '-1.5e3',
      '1e400',
      '"2020-01-01T00:00:00Z"',
      '"not a date"',
      'bare',
      '"unterminated',
    ),
    fc.uuid().map((u) => `"${u}"`),
    knownId().map((u) => `"${u}"`),
  );
  const comparison = fc
    .tuple(fc.constantFrom(...ATTRS), fc.constantFrom(...OPS), compValue)
    .map(([a, op, v]) => (op.toLowerCase() === 'pr' ? `${a} ${op}` : `${a} ${op} ${v}`));
  const filterArb: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      comparison,
      fc
        .tuple(
          fc.constantFrom('emails', 'members', 'groups', 'addresses', 'name', 'nosuch'),
          comparison,
          fc.constantFrom('', '.value', '.type', '.nosuch'),
        )
        .map(([a, f, s]) => `${a}[${f}]${s}`),
      fc
        .tuple(tie('node'), fc.constantFrom('and', 'or', 'AND', 'Or', 'xor'), tie('node'))
        .map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('node').map((f) => `not (${f})`),
      tie('node').map((f) => `(${f})`),
    ),
  })).node;
  const anyFilter = fc.oneof(
    filterArb,
    text,
    fc
      .array(fc.constantFrom('(', ')', '[', ']', '"', 'and', 'not', 'eq', 'userName', '.', ' '), { maxLength: 12 })
      .map((p) => p.join('')),
  );

  const pathArb = fc.oneof(
    fc.constantFrom(...ATTRS),
    fc
      .tuple(
        fc.constantFrom('emails', 'members', 'phoneNumbers', 'name', 'nosuch'),
        filterArb,
        fc.constantFrom('', '.value', '.primary', '.display', '.x'),
      )
      .map(([a, f, s]) => `${a}[${f}]${s}`),
    text,
  );
  const memberRef = fc.oneof(
    fc.record(
      { value: fc.oneof(knownId(), text), display: text, $ref: fc.constant(null) },
      { requiredKeys: ['value'] },
    ),
    knownId(),
    fc.jsonValue({ maxDepth: 1 }),
  );
  const valueArb = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(true, false, 'True', 'False', null, '', 'x@example.test'),
    text,
    fc.array(memberRef, { maxLength: 4 }),
    fc.array(
      fc.record(
        {
          value: email,
          type: fc.constantFrom('work', 'home', 'Work', ''),
          primary: fc.constantFrom(true, false, 'True', 'yes'),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
    fc.dictionary(fc.constantFrom(...ATTRS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), text, email), { maxKeys: 4 }),
  );
  const operation = fc.record(
    {
      op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE', 'Remove', 'move', '', 'test'),
      path: pathArb,
      value: valueArb,
    },
    { requiredKeys: [] },
  );
  // Operations an IdP would plausibly send (with random values), so that many PATCHes succeed and reach the database.
  const someUsers = () => fc.subarray([...userIds, foreignUserId]).map((ids) => ids.map((value) => ({ value })));
  const plausibleOperation = () =>
    fc.oneof(
      fc.record({
        op: fc.constantFrom('replace', 'Replace', 'add'),
        path: fc.constantFrom(
          'displayName',
          'name.givenName',
          'name.familyName',
          'externalId',
          'title',
          `${ENTERPRISE}:department`,
          `${ENTERPRISE}:manager`,
          'emails[type eq "work"].value',
        ),
        value: fc.oneof(text, freshEmail),
      }),
      fc.record({
        op: fc.constantFrom('replace', 'Replace'),
        path: fc.constant('active'),
        value: fc.constantFrom(true, false, 'True', 'False'),
      }),
      fc.record({
        op: fc.constantFrom('replace', 'add'),
        value: fc.record({ displayName: text, active: fc.boolean(), 'name.givenName': text }, { requiredKeys: [] }),
      }),
      fc.record({
        op: fc.constantFrom('add', 'Add', 'remove', 'Remove', 'replace'),
        path: fc.constant('members'),
        value: someUsers(),
      }),
      fc.record({
        op: fc.constant('remove'),
        path: fc.constantFrom(...userIds).map((id) => `members[value eq "${id}"]`),
      }),
    );
  const patchBody = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(
        { schemas: fc.constantFrom([PATCH_SCHEMA], [], ['urn:x']), Operations: fc.array(operation, { maxLength: 4 }) },
        { requiredKeys: ['Operations'] },
      ),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        schemas: fc.constant([PATCH_SCHEMA]),
        Operations: fc.array(plausibleOperation(), { minLength: 1, maxLength: 3 }),
      }),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );

  /** A plausible body with up to two attributes overwritten by random keys and values. */
  const mutated = (base: fc.Arbitrary<Record<string, unknown>>) =>
    fc
      .tuple(base, fc.array(fc.tuple(fc.constantFrom(...ATTRS, ENTERPRISE), valueArb), { maxLength: 2 }))
      .map(([b, changes]) => {
        const out: Record<string, unknown> = { ...b };
        for (const [k, v] of changes)
          Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        return out;
      });

  const plausibleUser = fc.record({
    schemas: fc.constantFrom([USER_SCHEMA], [USER_SCHEMA, ENTERPRISE]),
    userName: freshEmail,
    name: fc.record({ givenName: text, familyName: text }, { requiredKeys: [] }),
    displayName: text,
    emails: freshEmail.map((value) => [{ value, type: 'work', primary: true }]),
    active: fc.boolean(),
    externalId: fc.uuid(),
    [ENTERPRISE]: fc.record(
      { department: text, manager: fc.oneof(text, fc.record({ value: text })) },
      { requiredKeys: [] },
    ),
  });
  const userBody = fc.oneof(
    { weight: 4, arbitrary: mutated(plausibleUser) },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          schemas: fc.constantFrom([USER_SCHEMA], [USER_SCHEMA, ENTERPRISE], ['urn:scim:schemas:core:1.0'], 'x'),
          userName: fc.oneof(
            { weight: 4, arbitrary: freshEmail },
            { weight: 2, arbitrary: email },
            { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
          ),
          name: fc.oneof(fc.record({ givenName: text, familyName: text, formatted: text }, { requiredKeys: [] }), text),
          displayName: text,
          emails: fc.oneof(
            {
              weight: 3,
              arbitrary: fc.array(
                fc.record(
                  {
                    value: email,
                    type: fc.constantFrom('work', 'home'),
                    primary: fc.constantFrom(true, false, 'True', 'x'),
                  },
                  { requiredKeys: ['value'] },
                ),
                { maxLength: 3 },
              ),
            },
            { weight: 1, arbitrary: text },
          ),
          active: fc.constantFrom(true, false, 'True', 'False', 'yes', null, 1),
          externalId: fc.oneof(text, fc.constantFrom('ext-0'), fc.jsonValue({ maxDepth: 1 })),
          password: text,
          [ENTERPRISE]: fc.dictionary(
            fc.constantFrom('department', 'manager', 'employeeNumber', 'costCenter', 'x'),
            fc.oneof(text, fc.jsonValue({ maxDepth: 1 })),
            { maxKeys: 3 },
          ),
          groups: fc.array(memberRef, { maxLength: 2 }),
          id: knownId(),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...ATTRS), valueArb, { maxKeys: 5 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
  const plausibleGroup = fc.record(
    { schemas: fc.constant([GROUP_SCHEMA]), displayName: text, externalId: fc.uuid(), members: someUsers() },
    { requiredKeys: ['displayName'] },
  );
  const groupBody = fc.oneof(
    { weight: 4, arbitrary: mutated(plausibleGroup) },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          schemas: fc.constantFrom([GROUP_SCHEMA], []),
          displayName: fc.oneof(text, fc.jsonValue({ maxDepth: 1 })),
          externalId: fc.oneof(text, fc.jsonValue({ maxDepth: 1 })),
          members: fc.oneof(fc.array(memberRef, { maxLength: 4 }), text),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
  const rawBody = fc.oneof(
    text,
    fc.constantFrom('{', '{"userName": ', '[1,2', 'null', '"x"', '{"Operations": [', '\u0000', '{"a":"\\u0000"}'),
  );

  /** startIndex / count values from far outside any page: huge, negative, beyond 2^53 and the bigint range. */
  const pagingValue = fc.oneof(
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    fc.double({ noNaN: true }),
    fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 1e20, 1e300, Number.MAX_VALUE, -1e300),
  );
  const queryParam = fc.tuple(
    fc.constantFrom(
      'filter',
      'startIndex',
      'count',
      'sortBy',
      'sortOrder',
      'attributes',
      'excludedAttributes',
      'FILTER',
      'Count',
      'x',
      '',
    ),
    fc.oneof(
      text,
      fc.integer({ min: -5, max: 5000 }).map(String),
      pagingValue.map(String),
      fc.constantFrom(
        '1e400',
        '-0',
        'NaN',
        '0x10',
        '2.5',
        ' 3 ',
        'descending',
        'Ascending',
        'emails[type eq "work"]',
        'userName,nosuch',
        ENTERPRISE,
      ),
    ),
  );
  /** `a=b&c=d` with every value percent-encoded, plus raw oddities (`+`, a trailing `&`, repeated keys, bare `%`). */
  const queryString = fc
    .tuple(fc.array(queryParam, { maxLength: 5 }), fc.constantFrom('', '&', '&&', '+', '&filter=%', '&count=%zz'))
    .map(
      ([params, tail]) => params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&') + tail,
    );

  return { text, knownId, anyFilter, patchBody, userBody, groupBody, rawBody, queryString, pagingValue };
}

let built: ReturnType<typeof arbitraries> | undefined;
const A = () => (built ??= arbitraries());

// ---------------------------------------------------------------------------------------------------------------
// The property

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface Case {
  method: Method;
  path: string;
  body?: unknown;
  rawText?: string;
}

/** Status classes seen, per request method (printed at the end: how much of the run reached the services). */
const seen = new Map<string, number>();

async function check(c: Case): Promise<void> {
  const before = await fingerprint(t);
  let r = request(t.app)[c.method](`${o.base}${c.path}`).set('Authorization', `Bearer ${o.apiKey}`);
  if (c.rawText !== undefined) r = r.set('Content-Type', 'application/scim+json').send(c.rawText);
  else if (c.body !== undefined) r = r.set('Content-Type', 'application/scim+json').send(JSON.stringify(c.body));
  const res = await r;
  const label = `${c.method.toUpperCase()} ${c.path} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  const key = `${c.method.toUpperCase()} ${res.status}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  const notImplemented = res.status === 501 && /^\/(Me|Bulk)\b/.test(c.path); // RFC 7644 §3.7, §3.11: optional
  if (res.status >= 500 && !notImplemented) throw new Error(`5xx: ${label}`);
  if (res.status >= 400) {
    if (!/^application\/scim\+json/.test(String(res.headers['content-type'])))
      throw new Error(`not a SCIM error: ${label}`);
    const b = res.body;
    if (!(
      Array.isArray(b.schemas) &&
      b.schemas[0] === ERROR_SCHEMA &&
      b.status === String(res.status) &&
      typeof b.detail === 'string'
    )) {
      throw new Error(`not a SCIM error body: ${label}`);
    }
    const after = await fingerprint(t);
    if (after !== before) throw new Error(`a rejected request changed data: ${label}\n${before}\n${after}`);
  } else if (res.status !== 204 && !/^application\/scim\+json/.test(String(res.headers['content-type']))) {
    throw new Error(`not application/scim+json: ${label}`);
  }
}

const run = (arb: fc.Arbitrary<Case>) =>
  fc.assert(
    fc.asyncProperty(arb, async (c) => {
      await check(c);
    }),
    { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 150_000 },
  );

const resource = fc.constantFrom('/Users', '/Groups');
const userTarget = () => fc.oneof(fc.constantFrom(...userIds, o.ownerMemberId), A().knownId());
const groupTarget = () => fc.oneof(fc.constantFrom(...groupIds), A().knownId());

describe(`random requests through HTTP never get a 5xx (${engineName()})`, () => {
  it(
    'GET lists with random filters',
    () =>
      run(
        fc.tuple(resource, A().anyFilter, fc.boolean()).map(([res, f, plus]) => ({
          method: 'get' as const,
          path: `${res}?filter=${plus ? encodeURIComponent(f).replace(/%20/g, '+') : encodeURIComponent(f)}`,
        })),
      ),
    180_000,
  );

  it(
    'GET lists and resources with random query parameters; POST .search with random bodies',
    () =>
      run(
        fc.oneof(
          fc.tuple(resource, A().queryString).map(([res, qs]) => ({ method: 'get' as const, path: `${res}?${qs}` })),
          fc
            .tuple(
              fc.oneof(
                userTarget().map((id) => `/Users/${id}`),
                groupTarget().map((id) => `/Groups/${id}`),
              ),
              A().queryString,
            )
            .map(([p, qs]) => ({ method: 'get' as const, path: `${p}?${qs}` })),
          fc
            .tuple(
              resource,
              fc.oneof(
                fc.dictionary(
                  fc.constantFrom(
                    'filter',
                    'startIndex',
                    'count',
                    'sortBy',
                    'sortOrder',
                    'attributes',
                    'excludedAttributes',
                    'schemas',
                  ),
                  fc.oneof(A().anyFilter, fc.jsonValue({ maxDepth: 2 })),
                  { maxKeys: 4 },
                ),
                fc.jsonValue({ maxDepth: 2 }),
              ),
            )
            .map(([res, body]) => ({ method: 'post' as const, path: `${res}/.search`, body })),
        ),
      ),
    180_000,
  );

  it(
    'GET lists and POST .search with out-of-range startIndex and count',
    () =>
      run(
        fc.oneof(
          fc.tuple(resource, A().pagingValue, A().pagingValue).map(([res, start, count]) => ({
            method: 'get' as const,
            path: `${res}?startIndex=${encodeURIComponent(String(start))}&count=${encodeURIComponent(String(count))}`,
          })),
          // a .search body carries JSON numbers (bigints beyond 2^53 as their nearest double)
          fc.tuple(resource, A().pagingValue, A().pagingValue).map(([res, start, count]) => ({
            method: 'post' as const,
            path: `${res}/.search`,
            body: { startIndex: Number(start), count: Number(count) },
          })),
        ),
      ),
    180_000,
  );

  it(
    'PATCH users with random operations',
    () =>
      run(
        fc
          .tuple(userTarget(), A().patchBody, fc.constantFrom('', '?attributes=userName', '?excludedAttributes=emails'))
          .map(([id, body, qs]) => ({ method: 'patch' as const, path: `/Users/${id}${qs}`, body })),
      ),
    180_000,
  );

  it(
    'PATCH groups with random operations',
    () =>
      run(
        fc
          .tuple(groupTarget(), A().patchBody)
          .map(([id, body]) => ({ method: 'patch' as const, path: `/Groups/${id}`, body })),
      ),
    180_000,
  );

  it(
    'POST and PUT random user and group bodies',
    () =>
      run(
        fc.oneof(
          A().userBody.map((body) => ({ method: 'post' as const, path: '/Users', body })),
          fc
            .tuple(userTarget(), A().userBody)
            .map(([id, body]) => ({ method: 'put' as const, path: `/Users/${id}`, body })),
          A().groupBody.map((body) => ({ method: 'post' as const, path: '/Groups', body })),
          fc
            .tuple(groupTarget(), A().groupBody)
            .map(([id, body]) => ({ method: 'put' as const, path: `/Groups/${id}`, body })),
        ),
      ),
    180_000,
  );

  it(
    'raw, malformed bodies and odd methods and paths',
    () =>
      run(
        fc.oneof(
          fc
            .tuple(
              fc.constantFrom<Method>('post', 'put', 'patch'),
              fc.constantFrom(
                '/Users',
                `/Users/${userIds[0]}`,
                '/Groups',
                `/Groups/${groupIds[0]}`,
                '/Users/.search',
                '/Bulk',
              ),
              A().rawBody,
            )
            .map(([method, path, rawText]) => ({ method, path, rawText })),
          fc
            .tuple(
              fc.constantFrom<Method>('get', 'delete', 'put', 'post'),
              fc.oneof(
                A().text.map((s) => `/${encodeURIComponent(s)}`),
                fc.constantFrom(
                  '/Users/%',
                  '/Users/%E0%A4%A',
                  '/Schemas/%zz',
                  '/ResourceTypes/..',
                  '/Me',
                  '/Users/.search/x',
                  '/Groups/',
                ),
              ),
            )
            .map(([method, path]) => ({ method, path })),
          fc.tuple(fc.constantFrom('/Users/', '/Groups/'), A().knownId()).map(([p, id]) => ({
            method: 'delete' as const,
            path: `${p}${id === userIds[0] || id === groupIds[0] ? 'x' : id}`,
          })),
        ),
      ),
    180_000,
  );
});
