import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { ApiKeyKind } from '../../src/domain/enums';
import { ApiKey } from '../../src/entities';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization, unique } from '../helpers/factories';
import { newUser, scimOrg } from '../helpers/scim';
import { ok } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const EVENTS = `query($id: ID!) { organization(id: $id) { events(first: 50) { nodes {
  type data requestId clientRequestId actor { kind userId apiKeyId provider } target { type id }
} } } }`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** POST /graphql with the client's own X-Request-Id; returns the data and the id the server answered with. */
async function gqlWithRequestId(token: string, clientId: string, query: string, variables: Record<string, unknown>) {
  const res = await request(t.app)
    .post('/graphql')
    .set('authorization', `Bearer ${token}`)
    .set('x-request-id', clientId)
    .send({ query, variables });
  expect(res.body.errors).toBeUndefined();
  return { data: res.body.data, serverId: res.get('x-request-id') };
}

describe(`the audit trail tells who did what (${engineName()})`, () => {
  it("records role and flag changes before and after, invitations with role and flags, and the server's request id beside the client's", async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    const m = await confirmedMember(t.services, orgId);
    const clientId = `client-${unique()}`;
    const update = await gqlWithRequestId(
      ownerToken,
      clientId,
      `mutation($input: MemberUpdateInput!) { memberUpdate(input: $input) { userErrors { code } } }`,
      {
        input: { organizationId: orgId, memberId: m.member.id, role: 'CUSTOM', permissions: { manageGroups: true } },
      },
    );
    expect(update.data.memberUpdate.userErrors).toEqual([]);
    expect(update.serverId).toMatch(UUID);

    const email = `inv-${unique()}@example.test`;
    await ok(
      t.app,
      ownerToken,
      `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
      {
        input: { organizationId: orgId, emails: [email], role: 'CUSTOM', permissions: { accessEventLogs: true } },
      },
    );

    const events = (await ok(t.app, ownerToken, EVENTS, { id: orgId })).organization.events.nodes;
    const updated = events.find(
      (e: { type: string; target: { id: string } }) => e.type === 'member.updated' && e.target.id === m.member.id,
    );
    expect(updated).toMatchObject({
      actor: { kind: 'USER', apiKeyId: null, provider: null },
      data: {
        roleFrom: 'USER',
        roleTo: 'CUSTOM',
        permissionsFrom: {
          manageUsers: false,
          manageGroups: false,
          manageScim: false,
          accessEventLogs: false,
          manageScimKeys: false,
          manageWebhooks: false,
        },
        permissionsTo: {
          manageUsers: false,
          manageGroups: true,
          manageScim: false,
          accessEventLogs: false,
          manageScimKeys: false,
          manageWebhooks: false,
        },
      },
      // The server's own id (the one it answered with), the client's kept beside it.
      requestId: update.serverId,
      clientRequestId: clientId,
    });
    const invited = events.find(
      (e: { type: string; data: { email?: string } }) => e.type === 'member.invited' && e.data.email === email,
    );
    expect(invited.data).toEqual({
      email,
      role: 'CUSTOM',
      permissions: {
        manageUsers: false,
        manageGroups: false,
        manageScim: false,
        accessEventLogs: true,
        manageScimKeys: false,
        manageWebhooks: false,
      },
    });
    expect(invited.requestId).toMatch(UUID);
    expect(invited.clientRequestId).toBeNull();
  });

  it("records the SCIM key id and the provider on SCIM writes, and never takes the client's request id for its own", async () => {
    const o = await scimOrg(t);
    await t.services.scimSettings.update(cliActor(), o.orgId, { provider: 'okta' as never });
    const key = await t.orm.em.fork().findOneOrFail(ApiKey, { organization: o.orgId, kind: ApiKeyKind.SCIM });
    const res = await request(t.app)
      .post(`${o.base}/Users`)
      .set('Authorization', `Bearer ${o.apiKey}`)
      .set('Content-Type', 'application/scim+json')
      .set('X-Request-Id', 'idp-chosen-id')
      .send(JSON.stringify(newUser()))
      .expect(201);
    const events = (await ok(t.app, o.ownerToken, EVENTS, { id: o.orgId })).organization.events.nodes;
    const provisioned = events.find(
      (e: { type: string; target: { id: string } }) => e.type === 'member.provisioned' && e.target.id === res.body.id,
    );
    expect(provisioned).toMatchObject({
      actor: { kind: 'SCIM', userId: null, apiKeyId: key.id, provider: 'okta' },
      requestId: res.get('x-request-id'),
      clientRequestId: 'idp-chosen-id',
    });
    expect(provisioned.requestId).toMatch(UUID);

    // Issuing the key recorded its id too, so a SCIM write can be traced to the enable or rotation that minted its key.
    const enabled = events.find((e: { type: string }) => e.type === 'scim.enabled');
    expect(enabled.data.keyId).toBe(key.id);
  });
});
