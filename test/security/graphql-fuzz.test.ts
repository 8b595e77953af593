import fc from 'fast-check';
import { TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { orgFingerprint } from '../helpers/fingerprint';
import { gql, newOrganization } from '../graphql/gql';

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
  fc.constantFrom("' or 1=1 --", '"; drop table member; --', '%', '_', '\\', '\u0000', '💥'.repeat(10), 'a'.repeat(5000), '__proto__', '00000000-0000-4000-8000-000000000000'),
);
const anyJson = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostileString, { maxLength: 5 }), fc.dictionary(hostileString, hostileString, { maxKeys: 3 }));

const operations = [
  `query($id: ID!, $f: MemberFilter, $first: Int, $after: String) { organization(id: $id) { members(first: $first, after: $after, filter: $f) { totalCount nodes { id } } } }`,
  `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
  `mutation($input: GroupCreateInput!) { groupCreate(input: $input) { userErrors { code } } }`,
  `mutation($input: MemberUpdateInput!) { memberUpdate(input: $input) { userErrors { code } } }`,
  `query($id: ID!) { node(id: $id) { id } }`,
];

describe(`GraphQL hostile variables (${engineName()})`, () => {
  it(`never answers 5xx or leaks a stack, and rejected writes change nothing (seed ${SEED})`, async () => {
    const org = await newOrganization(t.services);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: operations.length - 1 }),
        fc.record({ id: fc.oneof(fc.constant(org.orgId), hostileString), first: anyJson, after: anyJson, f: anyJson, input: anyJson }),
        async (op, vars) => {
          const before = await orgFingerprint(t.orm, org.orgId);
          const variables = { ...vars, input: typeof vars.input === 'object' && vars.input !== null ? { organizationId: org.orgId, ...vars.input } : vars.input };
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
