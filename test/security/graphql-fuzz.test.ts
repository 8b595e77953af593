import fc from 'fast-check';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { orgFingerprint } from '../helpers/fingerprint';
import { gql } from '../graphql/gql';
import { cliActor } from '../../src/domain/actor';
import { makeOrganization } from '../helpers/factories';

// Hostile GraphQL variables through the real app: never a 5xx, never a stack trace, and a rejected
// write changes nothing. Seeded; the seed is printed on failure (fast-check's report) and settable.
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.GRAPHQL_FUZZ_RUNS ?? 150);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ GRAPHQL_RATE_LIMIT: '100000000' });
});
afterAll(() => t.close());

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "' or 1=1 --",
    '"; drop table member; --',
    '%',
    '_',
    '\\',
    '\u0000',
    '💥'.repeat(10),
    'a'.repeat(5000),
    '__proto__',
    '00000000-0000-4000-8000-000000000000',
  ),
);
const anyJson = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

const operations = [
  `query($id: ID!, $f: MemberFilter, $first: Int, $after: String) { organization(id: $id) { members(first: $first, after: $after, filter: $f) { totalCount nodes { id } } } }`,
  `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
  `mutation($input: GroupCreateInput!) { groupCreate(input: $input) { userErrors { code } } }`,
  `mutation($input: MemberUpdateInput!) { memberUpdate(input: $input) { userErrors { code } } }`,
  `query($id: ID!) { node(id: $id) { id } }`,
];

/** Cursors: garbage, hand-made (value, id) pairs of every JSON type, offset cursors, and real cursors of other lists. */
const encode = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const cursorValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2020-02-31T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z', '2020-01-01'),
);
const cursorId = fc.oneof(fc.uuid(), hostileString, fc.integer());
const cursor = fc.oneof(
  hostileString,
  fc.tuple(cursorValue, cursorId).map(encode),
  fc.array(cursorValue, { maxLength: 3 }).map(encode),
  fc.oneof(fc.integer(), fc.string({ maxLength: 12 })).map((n) => encode(`o:${n}`)),
  fc.jsonValue({ maxDepth: 2 }).map(encode),
);
// Mostly valid sizes, so that most requests reach the cursor's decoding and the database.
const pageSize = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 100 }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.integer({ min: -5, max: 120 }),
      fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, 1.5),
      anyJson,
    ),
  },
);
const PAGED = [
  `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { organization(id: $id) { members(first: $first, after: $after, last: $last, before: $before, orderBy: { field: EMAIL, direction: DESC }) { totalCount nodes { id groups(first: $first, after: $after) { nodes { id } } } } } }`,
  `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { organization(id: $id) { members(first: $first, after: $after, last: $last, before: $before) { pageInfo { endCursor } } } }`,
  `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { organization(id: $id) { groups(first: $first, after: $after, last: $last, before: $before, orderBy: { field: DISPLAY_NAME, direction: ASC }) { nodes { id members(first: $first, after: $after) { nodes { id } } } } } }`,
  `query($id: ID!, $first: Int, $after: String) { organization(id: $id) { events(first: $first, after: $after) { nodes { type } } scim { requestLog(first: $first, after: $after) { nodes { status } } } } }`,
  `query($first: Int, $after: String) { viewer { organizations(first: $first, after: $after) { nodes { id } } } }`,
];

describe(`GraphQL hostile variables (${engineName()})`, () => {
  it(`paging arguments and cursors of any shape are a 4xx or BAD_USER_INPUT, never a 5xx (seed ${SEED})`, async () => {
    const org = await makeOrganization(t.services);
    await t.services.groups.create(cliActor(), org.orgId, { displayName: 'Paged', memberIds: [org.ownerId] });
    const real = await gql(
      t.app,
      org.ownerToken,
      `query($id: ID!) { organization(id: $id) { members(first: 1) { pageInfo { endCursor } } groups(first: 1) { pageInfo { endCursor } } events(first: 1) { pageInfo { endCursor } } } }`,
      { id: org.orgId },
    );
    const o = real.body.data!.organization;
    const realCursors = [o.members.pageInfo.endCursor, o.groups.pageInfo.endCursor, o.events.pageInfo.endCursor].filter(
      Boolean,
    );
    expect(realCursors).toHaveLength(3);
    const anyCursor = fc.oneof(cursor, fc.constantFrom(...realCursors));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: PAGED.length - 1 }),
        fc.oneof(
          { weight: 3, arbitrary: fc.record({ first: pageSize, after: anyCursor }, { requiredKeys: ['after'] }) },
          { weight: 1, arbitrary: fc.record({ last: pageSize, before: anyCursor }, { requiredKeys: ['before'] }) },
          {
            weight: 1,
            arbitrary: fc.record(
              { first: pageSize, after: anyCursor, last: pageSize, before: anyCursor },
              { requiredKeys: [] },
            ),
          },
        ),
        async (op, vars) => {
          const res = await gql(t.app, org.ownerToken, PAGED[op], { id: org.orgId, ...vars });
          const label = JSON.stringify({ op, vars, status: res.status, errors: res.body.errors }).slice(0, 600);
          expect({ label, status: res.status < 500 }).toEqual({ label, status: true });
          const unexpected = (res.body.errors ?? [])
            .map((e) => e.extensions?.code)
            .filter((c) => !['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'].includes(String(c)));
          expect({ label, unexpected }).toEqual({ label, unexpected: [] });
        },
      ),
      // On a busy machine, fewer runs rather than a timeout.
      { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: 120_000 },
    );
  }, 180_000);

  it(`never answers 5xx or leaks a stack, and rejected writes change nothing (seed ${SEED})`, async () => {
    const org = await makeOrganization(t.services);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: operations.length - 1 }),
        fc.record({
          id: fc.oneof(fc.constant(org.orgId), hostileString),
          first: anyJson,
          after: anyJson,
          f: anyJson,
          input: anyJson,
        }),
        async (op, vars) => {
          const before = await orgFingerprint(t.orm, org.orgId);
          const variables = {
            ...vars,
            input:
              typeof vars.input === 'object' && vars.input !== null
                ? { organizationId: org.orgId, ...vars.input }
                : vars.input,
          };
          const res = await gql(t.app, org.ownerToken, operations[op], variables);
          expect(res.status).toBeLessThan(500);
          const text = JSON.stringify(res.body);
          expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
          expect(text).not.toContain('INTERNAL_SERVER_ERROR');
          const failed = res.status !== 200 || (res.body.errors?.length ?? 0) > 0;
          if (failed) expect(await orgFingerprint(t.orm, org.orgId)).toBe(before);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
