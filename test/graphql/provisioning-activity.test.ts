import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { MemberRole, ScimProvider } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, unique } from '../helpers/factories';
import { GROUP_SCHEMA, newUser, scim, scimOrg } from '../helpers/scim';
import { ok, tokenFor } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const UNKNOWN = '7d1a1f0e-5b8c-4c52-9b61-2f3f0f6f0a11';

const LOG = `query($id: ID!, $filter: ScimRequestLogFilter, $first: Int) {
  organization(id: $id) { scim { requestLog(first: $first, filter: $filter) { nodes {
    method path status summary warning hasWarning clientName rejectedKey
    target { type id email name }
  } } } }
}`;

const STATS = `query($id: ID!) {
  organization(id: $id) { scim { requestStats {
    connection lastRequestAt failuresLastHour rejectedKeysLastHour clients { name lastSuccessAt }
  } } }
}`;

const PROFILE = `query($id: ID!, $member: ID!) {
  organization(id: $id) { member(id: $member) { email lastProvisionedAt lastScimError { status message at } } }
}`;

type Entry = {
  method: string;
  path: string;
  status: number;
  summary: string | null;
  warning: string | null;
  hasWarning: boolean;
  clientName: string;
  rejectedKey: boolean;
  target: { type: string; id: string; email: string | null; name: string | null } | null;
};

async function log(token: string, orgId: string, filter: Record<string, unknown> = {}): Promise<Entry[]> {
  await t.services.scimRequestLog.flush();
  const data = await ok(t.app, token, LOG, { id: orgId, filter, first: 100 });
  return data.organization.scim.requestLog.nodes;
}

/** An organization provisioned by JumpCloud: the provider configured, and JumpCloud's own User-Agent. */
async function jumpCloudOrg() {
  const o = await scimOrg(t);
  await t.services.scimSettings.update(cliActor(), o.orgId, { provider: ScimProvider.JUMPCLOUD });
  return { o, client: scim(t, o, { 'User-Agent': 'JumpCloud-SCIM/1.0' }) };
}

describe(`provisioning activity (${engineName()})`, () => {
  it('names the member or group each request concerned, the client that sent it, and carries its warning', async () => {
    const { o, client } = await jumpCloudOrg();
    const grace = `grace-${unique()}@example.test`;
    const created = (await client.post('/Users', newUser(grace, { displayName: 'Grace Hopper' })).expect(201)).body;
    const group = (
      await client
        .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: UNKNOWN }] })
        .expect(201)
    ).body;
    await client.get('/Users?count=5').expect(200);

    const entries = await log(o.ownerToken, o.orgId);
    const userPost = entries.find((e) => e.method === 'POST' && e.path.endsWith('/Users'))!;
    expect(userPost).toMatchObject({
      status: 201,
      clientName: 'JumpCloud',
      rejectedKey: false,
      hasWarning: false,
      warning: null,
      target: { type: 'member', id: created.id, email: grace, name: 'Grace Hopper' },
    });
    const groupPost = entries.find((e) => e.method === 'POST' && e.path.endsWith('/Groups'))!;
    expect(groupPost).toMatchObject({
      status: 201,
      hasWarning: true,
      warning: `skipped 1 unknown member: ${UNKNOWN}`,
      summary: expect.stringContaining(`skipped 1 member ids that match no member of this organization: ${UNKNOWN}`),
      target: { type: 'group', id: group.id, email: null, name: 'Engineering' },
    });
    // A list concerns nobody in particular.
    expect(entries.find((e) => e.method === 'GET')!.target).toBeNull();
    expect(await log(o.ownerToken, o.orgId, { hasWarning: true })).toEqual([groupPost]);

    // Deleted, the member is still the entry's target, by id: its name is gone with it.
    await client.delete(`/Users/${created.id}`).expect(204);
    const after = await log(o.ownerToken, o.orgId);
    expect(after.find((e) => e.method === 'POST' && e.path.endsWith('/Users'))!.target).toEqual({
      type: 'member',
      id: created.id,
      email: null,
      name: null,
    });
  });

  it('finds the requests about one person by email, userName, externalId or member id', async () => {
    const { o, client } = await jumpCloudOrg();
    const ada = (
      await client.post('/Users', newUser(`ada-${unique()}@example.test`, { externalId: `jc-ada-${unique()}` }))
    ).body;
    const bob = (await client.post('/Users', newUser(`bob-${unique()}@example.test`))).body;
    await client.put(`/Users/${ada.id}`, { ...ada, displayName: 'Ada L.' }).expect(200);
    await client.put(`/Users/${bob.id}`, { ...bob, displayName: 'Bob' }).expect(200);

    const targets = async (person: string) =>
      (await log(o.ownerToken, o.orgId, { person })).map((e) => `${e.method} ${e.target?.id}`);
    const adaOnly = [`PUT ${ada.id}`, `POST ${ada.id}`];
    expect(await targets('ADA-')).toEqual(adaOnly);
    expect(await targets(ada.externalId.slice(0, 8))).toEqual(adaOnly);
    expect(await targets(ada.id)).toEqual(adaOnly);
    expect(await targets(bob.userName)).toEqual([`PUT ${bob.id}`, `POST ${bob.id}`]);
    expect(await targets('nobody-at-all')).toEqual([]);
    // The search is this organization's: a person of another organization is not found here.
    const other = await jumpCloudOrg();
    expect((await log(other.o.ownerToken, other.o.orgId, { person: ada.id })).length).toBe(0);
  });

  it('counts a rejected key apart, blames no client for it, and tells the set-up guide whether JumpCloud is connected', async () => {
    const { o, client } = await jumpCloudOrg();
    const waiting = await ok(t.app, o.ownerToken, STATS, { id: o.orgId });
    expect(waiting.organization.scim.requestStats).toEqual({
      connection: 'WAITING_FOR_FIRST_REQUEST',
      lastRequestAt: null,
      failuresLastHour: 0,
      rejectedKeysLastHour: 0,
      clients: [],
    });

    // A stranger with a wrong key, sending a JumpCloud User-Agent.
    await request(t.app)
      .get(`${o.base}/Users`)
      .set('Authorization', 'Bearer not-the-key')
      .set('User-Agent', 'JumpCloud-SCIM/1.0')
      .expect(401);
    const [rejected] = await log(o.ownerToken, o.orgId);
    expect(rejected).toMatchObject({ status: 401, rejectedKey: true, clientName: 'rejected key', target: null });
    const stillWaiting = (await ok(t.app, o.ownerToken, STATS, { id: o.orgId })).organization.scim.requestStats;
    expect(stillWaiting).toMatchObject({
      connection: 'WAITING_FOR_FIRST_REQUEST',
      rejectedKeysLastHour: 1,
      failuresLastHour: 0,
    });

    await client.post('/Users', newUser()).expect(201);
    await client.get(`/Users/${UNKNOWN}`).expect(404);
    await client.post('/Users', { schemas: [] }).expect(400);
    const stats = (await ok(t.app, o.ownerToken, STATS, { id: o.orgId })).organization.scim.requestStats;
    expect(stats).toMatchObject({ connection: 'CONNECTED', failuresLastHour: 2, rejectedKeysLastHour: 1 });
    expect(stats.clients).toEqual([{ name: 'JumpCloud', lastSuccessAt: expect.any(String) }]);
    expect(Date.parse(stats.lastRequestAt)).toBeGreaterThanOrEqual(Date.parse(stats.clients[0].lastSuccessAt));
    expect(await log(o.ownerToken, o.orgId, { rejectedKey: true })).toEqual([rejected]);
  });

  it("gives a member's profile its last provisioning and its last SCIM error, for those who may read the log", async () => {
    const { o, client } = await jumpCloudOrg();
    const member = (await client.post('/Users', newUser()).expect(201)).body;
    const before = await ok(t.app, o.ownerToken, PROFILE, { id: o.orgId, member: member.id });
    const provisionedAt = before.organization.member.lastProvisionedAt;
    expect(provisionedAt).toEqual(expect.any(String));
    expect(before.organization.member.lastScimError).toBeNull();

    // Reads are not provisioning; a refused write is the member's last SCIM error.
    await client.get(`/Users/${member.id}`).expect(200);
    await request(t.app)
      .put(`${o.base}/Users/${member.id}`)
      .set('Authorization', `Bearer ${o.apiKey}`)
      .set('If-Match', 'W/"999"')
      .set('Content-Type', 'application/scim+json')
      .send(JSON.stringify(member))
      .expect(412);
    await t.services.scimRequestLog.flush();
    const after = (await ok(t.app, o.ownerToken, PROFILE, { id: o.orgId, member: member.id })).organization.member;
    expect(after.lastProvisionedAt).toBe(provisionedAt);
    expect(after.lastScimError).toEqual({
      status: 412,
      message: expect.stringContaining('version'),
      at: expect.any(String),
    });

    // A CUSTOM member who may see members but not the provisioning log reads neither.
    const viewer = await confirmedMember(t.services, o.orgId, MemberRole.CUSTOM as never);
    await t.services.memberProfiles.update(cliActor(), o.orgId, viewer.member.id, {
      permissions: { manageUsers: true },
    });
    const token = await tokenFor(t.services, viewer.email);
    const seen = (await ok(t.app, token, PROFILE, { id: o.orgId, member: member.id })).organization.member;
    expect(seen).toMatchObject({ lastProvisionedAt: null, lastScimError: null });
  });
});
