import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization } from '../helpers/factories';
import { MEMBERS_PAGE_QUERY } from '../../bench/scenarios';
import { codes, countStatements, gql, ok, tokenFor } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Statements on the organization's own tables (the token's lookup and bookkeeping aside).
const DATA = /\b(from|join)\s+"?(organization|member|group_membership|member_group)\b/i;

describe(`the viewer's rights in a GraphQL query (${engineName()})`, () => {
  it('are read once per request: a members page with groups is three statements', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    await ok(t.app, ownerToken, MEMBERS_PAGE_QUERY, { id: orgId, after: null }); // the token is verified once
    const { sql } = await countStatements(t.orm, async () => {
      await ok(t.app, ownerToken, MEMBERS_PAGE_QUERY, { id: orgId, after: null });
    });
    const data = sql.filter((q) => DATA.test(q)).map((q) => q.replace(/\s+/g, ' '));
    // The organization with the viewer's membership (its rights) in one, the page, the page's groups: no second
    // rights check.
    expect(data).toHaveLength(3);
    expect(data[0]).toMatch(/^select o\.id as org_id/);
    expect(data[1]).toMatch(/^select m\.[^()]* from member m where/);
    expect(data[2]).toMatch(/^select g\.\*, string_agg\(gm\.member_id/);
  });

  it('are read again by the next request: a member removed in between no longer sees the organization', async () => {
    const { orgId } = await makeOrganization(t.services);
    const { member, email } = await confirmedMember(t.services, orgId, 'ADMIN' as never);
    const token = await tokenFor(t.services, email);
    await ok(t.app, token, MEMBERS_PAGE_QUERY, { id: orgId, after: null });
    await t.services.memberLifecycle.remove(cliActor(), orgId, member.id);
    const after = await gql(t.app, token, MEMBERS_PAGE_QUERY, { id: orgId, after: null });
    expect(codes(after)).toEqual(['NOT_FOUND']);
  });
});
