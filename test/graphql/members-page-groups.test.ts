import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization } from '../helpers/factories';
import { codes, countStatements, gql, ok } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Statements on the organization's own tables (the token's lookup and bookkeeping aside).
const DATA = /\b(from|join)\s+"?(organization|member|group_membership|member_group)\b/i;

/** An organization whose two members are in groups "Beta" and "alpha" (one also in "Gamma"), made through the services. */
async function organizationWithGroups() {
  const org = await makeOrganization(t.services);
  const a = (await confirmedMember(t.services, org.orgId)).member;
  const b = (await confirmedMember(t.services, org.orgId)).member;
  const create = (displayName: string, memberIds: string[]) =>
    t.services.groups.create(cliActor(), org.orgId, { displayName, memberIds });
  const beta = await create('Beta', [a.id, b.id]);
  const alpha = await create('alpha', [a.id]);
  const gamma = await create('Gamma', [b.id]);
  return { ...org, a: a.id, b: b.id, alpha: alpha.id, beta: beta.id, gamma: gamma.id };
}

type GroupsById = Record<string, string[]>;
const groupsById = (nodes: { id: string; groups: { nodes: { displayName: string }[] } }[]): GroupsById =>
  Object.fromEntries(nodes.map((n) => [n.id, n.groups.nodes.map((g) => g.displayName)]));

describe(`a members page with each member's groups (${engineName()})`, () => {
  it('gives every member its groups by name, however the query reaches them, in three statements', async () => {
    const o = await organizationWithGroups();
    const expected: GroupsById = { [o.ownerId]: [], [o.a]: ['alpha', 'Beta'], [o.b]: ['Beta', 'Gamma'] };

    const direct = await ok(
      t.app,
      o.ownerToken,
      `query($id: ID!) { organization(id: $id) { members(first: 10) { nodes { id groups(first: 10) { nodes { displayName } } } } } }`,
      { id: o.orgId },
    );
    expect(groupsById(direct.organization.members.nodes)).toEqual(expected);

    // Through edges, a named fragment and an inline fragment: the page reads the groups ahead all the same.
    const query = `query($id: ID!) { organization(id: $id) { members(first: 10) {
        edges { node { ...WithGroups } } } } }
      fragment WithGroups on Member { id ... on Member { groups(first: 10) { nodes { displayName } } } }`;
    const { sql } = await countStatements(t.orm, async () => {
      const viaFragments = await ok(t.app, o.ownerToken, query, { id: o.orgId });
      const nodes = viaFragments.organization.members.edges.map((e: { node: unknown }) => e.node);
      expect(groupsById(nodes)).toEqual(expected);
    });
    // The organization with the viewer's rights, the page, the page's groups in one batch.
    expect(sql.filter((q) => DATA.test(q))).toHaveLength(3);
  });

  it('gives every member of a page its profile fields, the first one too', async () => {
    const o = await organizationWithGroups();
    const data = await ok(
      t.app,
      o.ownerToken,
      `query($id: ID!) { organization(id: $id) { members(first: 10) { nodes { id userName phoneNumbers { value } enterprise { department } } } } }`,
      { id: o.orgId },
    );
    const nodes = data.organization.members.nodes;
    expect(nodes).toHaveLength(3);
    for (const node of nodes) {
      expect(node.userName).toEqual(expect.any(String));
      expect(node.phoneNumbers).toEqual([]);
      expect(node.enterprise).toEqual({ department: null });
    }
  });

  it("pages a member's groups by position with the cursors and counts it always had", async () => {
    const o = await organizationWithGroups();
    const page = (after: string | null) =>
      ok(
        t.app,
        o.ownerToken,
        `query($id: ID!, $member: ID!, $after: String) { organization(id: $id) {
          members(first: 10) { nodes { id groups(first: 1, after: $after) {
            totalCount nodes { displayName } edges { cursor node { id } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }
          member(id: $member) { id } } }`,
        { id: o.orgId, member: o.a, after },
      );
    const groupsOfA = async (after: string | null) =>
      (await page(after)).organization.members.nodes.find((n: { id: string }) => n.id === o.a).groups;

    const first = await groupsOfA(null);
    expect(first.totalCount).toBe(2);
    expect(first.nodes).toEqual([{ displayName: 'alpha' }]);
    expect(first.edges).toEqual([{ cursor: first.pageInfo.endCursor, node: { id: o.alpha } }]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.pageInfo.startCursor).toBe(first.pageInfo.endCursor);

    const second = await groupsOfA(first.pageInfo.endCursor);
    expect(second.nodes).toEqual([{ displayName: 'Beta' }]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(second.edges[0].node.id).toBe(o.beta);
  });

  it("refuses a member's groups asked with a bad cursor or size, and runs nothing for a size out of range", async () => {
    const o = await organizationWithGroups();
    const ask = (args: string) =>
      gql(
        t.app,
        o.ownerToken,
        `query($id: ID!) { organization(id: $id) { members(first: 10) { nodes { id groups(${args}) { nodes { id } } } } } }`,
        { id: o.orgId },
      );
    const badCursor = await ask('first: 10, after: "bm90IGEgY3Vyc29y"');
    expect(badCursor.status).toBe(200);
    // One error per member of the page, each at its own member's groups; the members themselves are still read.
    expect(codes(badCursor)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(badCursor.body.data?.organization.members.nodes).toHaveLength(3);

    // A cursor over the arguments' length limit: type-graphql's validation error, as for any argument.
    const longCursor = await ask(`first: 10, after: "${'x'.repeat(1001)}"`);
    expect(codes(longCursor)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(longCursor.body.errors?.[0].message).toBe(
      'Invalid input: after: after must be shorter than or equal to 1000 characters',
    );

    // The page's own filter is validated too (its rules are class-validator's).
    const badFilter = await gql(
      t.app,
      o.ownerToken,
      `query($id: ID!) { organization(id: $id) { members(first: 10, filter: { query: "${'q'.repeat(201)}" }) { nodes { id } } } }`,
      { id: o.orgId },
    );
    expect(codes(badFilter)).toEqual(['BAD_USER_INPUT']);
    expect(badFilter.body.errors?.[0].message).toMatch(/^Invalid input: .*200 characters/);

    const { sql } = await countStatements(t.orm, async () => {
      const tooMany = await ask('first: 101');
      expect(tooMany.status).toBe(400);
      expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    });
    // No organization, page or group read. The token's verification and the background flushes (last-used stamps,
    // outbox) may run meanwhile on the same pool, so only the organization's own tables are counted.
    expect(sql.filter((q) => DATA.test(q))).toEqual([]);
  });
});
