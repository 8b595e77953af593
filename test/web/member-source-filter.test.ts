/** The Members page's "source" filter: `MemberFilter.sources` narrows a member list to SCIM or manual members. */
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { newUser, scim, scimOrg } from '../helpers/scim';
import { ok } from '../graphql/gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const MEMBERS = `query($id: ID!, $filter: MemberFilter) {
  organization(id: $id) { members(first: 10, filter: $filter) { totalCount nodes { email source } } }
}`;

describe(`members filtered by source (${engineName()})`, () => {
  it('lists only SCIM members, only manual ones, or both, with a matching totalCount', async () => {
    const o = await scimOrg(t);
    const provisioned = `scim-${unique()}@example.test`;
    await scim(t, o).post('/Users', newUser(provisioned)).expect(201);
    const invited = `invited-${unique()}@example.test`;
    await ok(
      t.app,
      o.ownerToken,
      `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
      {
        input: { organizationId: o.orgId, emails: [invited] },
      },
    );

    const list = async (sources: string[] | undefined) =>
      (await ok(t.app, o.ownerToken, MEMBERS, { id: o.orgId, filter: { sources } })).organization.members;
    expect(await list(['SCIM'])).toEqual({ totalCount: 1, nodes: [{ email: provisioned, source: 'SCIM' }] });
    const manual = await list(['INVITE', 'OWNER']);
    expect(manual.totalCount).toBe(2);
    expect(manual.nodes.map((n: { source: string }) => n.source).sort()).toEqual(['INVITE', 'OWNER']);
    expect((await list(undefined)).totalCount).toBe(3);
  });
});
