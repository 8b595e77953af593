import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { cliActor } from '../../src/domain/actor';
import { MemberRole } from '../../src/domain/enums';
import { WEBHOOK_EVENT_TYPES } from '../../src/domain/webhook-events';
import { Member } from '../../src/entities';
import { memberView } from '../../src/read-models/member.view';
import { WebhookDispatcher } from '../../src/services/webhook-dispatcher';
import { memberBody } from '../../src/services/webhooks/event-body';
import { SecretBox, secretKeyLoader } from '../../src/services/webhooks/secret-box';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique, userActor } from '../helpers/factories';
import { GROUP_SCHEMA, PATCH_SCHEMA, type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';
import { codes, countStatements, gql, ok } from '../graphql/gql';
import { type Received, WebhookReceiver } from './receiver';

let t: TestApp;
const receiver = new WebhookReceiver();
let base: string;
const secretKey = randomBytes(32).toString('base64');

beforeAll(async () => {
  t = await createTestApp({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_SECRET_KEY: secretKey,
  });
  base = `http://127.0.0.1:${await receiver.start()}`;
});
afterAll(async () => {
  await t?.webhookDispatcher.stop();
  await receiver.stop();
  await t?.close();
});

const CREATE = `mutation($input: WebhookEndpointCreateInput!) {
  webhookEndpointCreate(input: $input) { endpoint { id url eventTypes enabled } secret userErrors { code field message } } }`;

async function addEndpoint(o: ScimOrg, path: string, eventTypes: string[] | null = null) {
  const data = await ok(t.app, o.ownerToken, CREATE, {
    input: { organizationId: o.orgId, url: `${base}${path}`, eventTypes },
  });
  expect(data.webhookEndpointCreate.userErrors).toEqual([]);
  return data.webhookEndpointCreate as { endpoint: { id: string }; secret: string };
}

/** Runs the dispatcher until nothing is due. */
async function deliverAll(): Promise<void> {
  while ((await t.webhookDispatcher.drainOnce()) > 0);
}

const bodies = (received: Received[]) => received.map((r) => JSON.parse(r.body));

describe(`webhook events (${engineName()})`, () => {
  it('every event type arrives once per change, signed so that standardwebhooks verifies it, numbered in order', async () => {
    const o = await scimOrg(t);
    const { secret } = await addEndpoint(o, '/all');
    const ownerEmail = (await t.services.memberProfiles.get(cliActor(), o.orgId, o.ownerMemberId)).email;
    const owner = await userActor(t.services, ownerEmail);
    const email = `m-${unique()}@example.test`;
    const { member, invitationToken } = await t.services.memberLifecycle.invite(owner, o.orgId, { email });
    await t.services.memberLifecycle.accept(await userActor(t.services, email), invitationToken);
    await t.services.memberLifecycle.confirm(owner, o.orgId, member.id);
    await t.services.memberProfiles.update(owner, o.orgId, member.id, { role: MemberRole.ADMIN });
    await t.services.memberLifecycle.revoke(owner, o.orgId, member.id, 'left', { keepRevoked: true });
    await t.services.memberLifecycle.restore(owner, o.orgId, member.id);
    const group = await t.services.groups.create(owner, o.orgId, { displayName: 'Engineering' });
    await t.services.groups.update(owner, o.orgId, group.id, { displayName: 'Platform' });
    await t.services.groups.update(owner, o.orgId, group.id, { members: { add: [member.id] } });
    await t.services.groups.update(owner, o.orgId, group.id, { members: { remove: [member.id] } });
    await t.services.groups.delete(owner, o.orgId, group.id);
    await t.services.memberLifecycle.remove(owner, o.orgId, member.id);
    await t.services.scimSettings.update(owner, o.orgId, { inviteUsersAfterProvisioning: false });
    await t.services.scimSettings.rotateKey(owner, o.orgId);

    await deliverAll();
    const received = receiver.on('/all');
    const wh = new Webhook(secret);
    for (const r of received) expect(() => wh.verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    const events = bodies(received).sort((a, b) => a.sequence - b.sequence);
    expect(events.map((e) => e.type)).toEqual([
      'member.invited',
      'member.accepted',
      'member.confirmed',
      'member.updated',
      'member.revoked',
      'member.restored',
      'group.created',
      'group.updated',
      'group.members_added',
      'group.members_removed',
      'group.deleted',
      'member.removed',
      'scim.settings_updated',
      'scim.key_rotated',
    ]);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(WEBHOOK_EVENT_TYPES));
    // One delivery per change (no duplicates), sequence strictly increasing from 1, ids unique.
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(received.length);
    for (const e of events) {
      expect(e).toMatchObject({ organizationId: o.orgId, actor: { kind: 'user' } });
      expect(Date.parse(e.timestamp)).not.toBeNaN();
    }
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    expect(byType['member.updated'].data).toMatchObject({
      id: member.id,
      email,
      role: 'ADMIN',
      roleSource: 'MANUAL',
      roleGrantedBy: null,
      status: 'CONFIRMED',
    });
    expect(byType['member.updated'].data.revocationHold).toBeNull();
    // The hold as GraphQL renders it: who set it and when.
    expect(byType['member.revoked'].data).toMatchObject({
      id: member.id,
      status: 'REVOKED',
      revocationReason: 'left',
      revocationHold: { by: ownerEmail, at: expect.any(String) },
    });
    expect(Date.parse(byType['member.revoked'].data.revocationHold.at)).not.toBeNaN();
    expect(byType['member.restored'].data).toMatchObject({ revocationHold: null, revocationReason: null });
    expect(byType['member.removed'].data).toEqual({ id: member.id, email });
    expect(byType['group.updated'].data).toMatchObject({ id: group.id, displayName: 'Platform' });
    expect(byType['group.members_added'].data).toEqual({ groupId: group.id, memberIds: [member.id] });
    expect(byType['scim.settings_updated'].data).toMatchObject({ inviteUsersAfterProvisioning: false });
  });

  it('SCIM writes announce themselves with a scim actor; a 1,001-member PATCH is two members_added events', async () => {
    const o = await scimOrg(t);
    const { secret } = await addEndpoint(o, '/scim', ['member.invited', 'group.members_added', 'member.revoked']);
    const s = scim(t, o);
    const created = await s.post('/Users', newUser());
    expect(created.status).toBe(201);
    // 1,000 more members, written as fixture rows in one statement (a thousand invitations would only cost time).
    const bulk = await t.orm.em.fork().execute<{ id: string }[]>(
      `insert into member (id, organization_id, email, user_name, role, permissions, status, source)
       select gen_random_uuid(), ?, 'bulk-' || i || '@example.test', 'bulk-' || i, 'USER', '{}'::jsonb, 'STAGED', 'SCIM'
         from generate_series(1, 1000) as i returning id`,
      [o.orgId],
    );
    const ids = [created.body.id as string, ...bulk.map((r) => r.id)];
    const group = await s.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `G ${unique()}` });
    const patched = await s.patch(`/Groups/${group.body.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
    });
    expect(patched.status).toBeLessThan(300);
    await s.patch(`/Users/${created.body.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    await deliverAll();
    const received = receiver.on('/scim');
    const wh = new Webhook(secret);
    for (const r of received) wh.verify(r.body, r.headers as Record<string, string>);
    const events = bodies(received).sort((a, b) => a.sequence - b.sequence);
    expect(events[0]).toMatchObject({ type: 'member.invited', actor: { kind: 'scim' }, data: { id: created.body.id } });
    const added = events.filter((e) => e.type === 'group.members_added');
    expect(added.map((e) => e.data.memberIds.length)).toEqual([1000, 1]);
    expect(new Set(added.flatMap((e) => e.data.memberIds))).toEqual(new Set(ids));
    expect(events.filter((e) => e.type === 'member.invited')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'member.revoked', actor: { kind: 'scim' } });
  }, 60_000);

  it("a SCIM create's event carries the member exactly as stored, written in the create's own statement", async () => {
    const o = await scimOrg(t);
    await addEndpoint(o, '/stored', ['member.invited']);
    const user = {
      ...newUser(),
      name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
      title: 'Engineer',
      externalId: `ext-${unique()}`,
      phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
    };
    let created: { status: number; body: { id: string } } | undefined;
    const { sql } = await countStatements(t.orm, async () => {
      created = await scim(t, o).post('/Users', user);
    });
    expect(created?.status).toBe(201);
    // The member, its audit event, its invitation and its webhook event: one statement, no round trip for the event.
    const eventWrites = sql.filter((q) => /insert into webhook_event/i.test(q));
    expect(eventWrites).toHaveLength(1);
    expect(eventWrites[0]).toMatch(/insert into member \(/i);

    await deliverAll();
    const [event, ...more] = bodies(receiver.on('/stored'));
    expect(more).toEqual([]);
    const stored = await t.orm.em.fork().findOneOrFail(Member, created!.body.id);
    expect(event).toMatchObject({ type: 'member.invited', actor: { kind: 'scim' } });
    expect(event.data).toEqual(JSON.parse(JSON.stringify(memberBody(memberView(stored)))));
    expect(event.data).toMatchObject({ title: 'Engineer', phoneNumbers: [{ value: '+1 555 0100', type: 'work' }] });
  });

  it('a role from groups is announced with its source and the deciding group', async () => {
    const o = await scimOrg(t);
    await addEndpoint(o, '/role-from-groups', ['member.updated']);
    const api = scim(t, o);
    const memberId = (await api.post('/Users', newUser())).body.id as string;
    const group = await api.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `Admins ${unique()}` });
    expect(group.status).toBe(201);
    await t.services.groupRoles.setMapping(cliActor(), o.orgId, group.body.id, { role: MemberRole.ADMIN });
    const patch = await api.patch(`/Groups/${group.body.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'add', path: 'members', value: [{ value: memberId }] }],
    });
    expect(patch.status).toBeLessThan(300);

    await deliverAll();
    const events = bodies(receiver.on('/role-from-groups'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'member.updated', actor: { kind: 'scim' } });
    expect(events[0].data).toMatchObject({
      id: memberId,
      role: 'ADMIN',
      roleSource: 'GROUPS',
      roleGrantedBy: { id: group.body.id },
    });
  });

  it("a member's groups set from its side, or given with its invitation, announce group.members_added / members_removed", async () => {
    const o = await scimOrg(t);
    const { secret } = await addEndpoint(o, '/member-side', [
      'member.invited',
      'group.members_added',
      'group.members_removed',
    ]);
    const owner = await userActor(
      t.services,
      (await t.services.memberProfiles.get(cliActor(), o.orgId, o.ownerMemberId)).email,
    );
    const [a, b, c] = await Promise.all(
      ['A', 'B', 'C'].map((name) => t.services.groups.create(owner, o.orgId, { displayName: `${name}-${unique()}` })),
    );
    const email = `g-${unique()}@example.test`;
    const { member } = await t.services.memberLifecycle.invite(owner, o.orgId, { email, groupIds: [a.id, b.id, a.id] });
    await t.services.groups.setGroupsOfMember(owner, o.orgId, member.id, [b.id, c.id]);
    await t.services.groups.setGroupsOfMember(owner, o.orgId, member.id, [c.id, b.id]); // no change: no event

    await deliverAll();
    const received = receiver.on('/member-side');
    const wh = new Webhook(secret);
    for (const r of received) expect(() => wh.verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    const events = bodies(received).sort((x, y) => x.sequence - y.sequence);
    const summary = (e: { type: string; data: { groupId?: string; memberIds?: string[] } }) =>
      `${e.type} ${e.data.groupId ?? ''} ${(e.data.memberIds ?? []).join(',')}`.trim();
    expect(events[0]).toMatchObject({ type: 'member.invited', data: { id: member.id } });
    // The invitation's groups, in the invitation's transaction.
    expect(events.slice(1, 3).map(summary).sort()).toEqual(
      [`group.members_added ${a.id} ${member.id}`, `group.members_added ${b.id} ${member.id}`].sort(),
    );
    expect(events.slice(3).map(summary).sort()).toEqual(
      [`group.members_added ${c.id} ${member.id}`, `group.members_removed ${a.id} ${member.id}`].sort(),
    );
    expect(events[3].actor).toMatchObject({ kind: 'user' });
  });

  it('a rolled-back change sends nothing; an organization without endpoints writes no event', async () => {
    const o = await scimOrg(t);
    await addEndpoint(o, '/rollback');
    // The last owner cannot be revoked: the write fails and rolls back, audit and outbox with it.
    await expect(t.services.memberLifecycle.revoke(cliActor(), o.orgId, o.ownerMemberId)).rejects.toThrow();
    const other = await scimOrg(t);
    await t.services.groups.create(cliActor(), other.orgId, { displayName: 'Quiet' });
    await deliverAll();
    expect(receiver.on('/rollback')).toEqual([]);
    const [{ n }] = await t.orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*)::text as n from webhook_event where organization_id in (?, ?)', [
        o.orgId,
        other.orgId,
      ]);
    expect(Number(n)).toBe(0);
  });

  it('each event goes to the endpoints subscribed to its type that are on when it is numbered; a test event to its own endpoint only', async () => {
    const o = await scimOrg(t);
    const groupsOnly = await addEndpoint(o, '/fan/groups', ['group.created']);
    await addEndpoint(o, '/fan/invites', ['member.invited']);
    const everything = await addEndpoint(o, '/fan/all');
    await t.services.groups.create(cliActor(), o.orgId, { displayName: 'Fan out' });
    await scim(t, o)
      .post('/Users', newUser(`fan-${unique()}@example.test`))
      .expect(201);
    await t.services.webhooks.sendTest(cliActor(), o.orgId, groupsOnly.endpoint.id);
    // Written while every endpoint was on; the catch-all is off by the time the events are numbered.
    await t.services.webhooks.update(cliActor(), o.orgId, everything.endpoint.id, { enabled: false });
    await deliverAll();
    const types = (path: string) => bodies(receiver.on(path)).map((b) => b.type as string);
    expect(types('/fan/groups')).toEqual(['group.created', 'webhook.test']);
    expect(types('/fan/invites')).toEqual(['member.invited']);
    expect(types('/fan/all')).toEqual([]);
    const [{ n }] = await t.orm.em
      .fork()
      .execute<{ n: string }[]>(
        'select count(*)::text as n from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id where e.id = ?',
        [everything.endpoint.id],
      );
    expect(Number(n)).toBe(0);
  });

  it('500 then 200: the same webhook-id and body twice, the second attempt delivered', async () => {
    const o = await scimOrg(t);
    const { endpoint, secret } = await addEndpoint(o, '/flaky', ['group.created']);
    receiver.script.set('/flaky', [500, 200]);
    await t.services.groups.create(cliActor(), o.orgId, { displayName: 'Retry me' });
    await deliverAll();
    await t.orm.em.fork().execute("update webhook_delivery set next_attempt_at = now() where status = 'PENDING'");
    await deliverAll();
    const received = receiver.on('/flaky');
    expect(received).toHaveLength(2);
    expect(received[0].headers['webhook-id']).toBe(received[1].headers['webhook-id']);
    expect(received[0].body).toBe(received[1].body);
    const wh = new Webhook(secret);
    for (const r of received) wh.verify(r.body, r.headers as Record<string, string>);
    const data = await ok(
      t.app,
      o.ownerToken,
      `query($id: ID!) { organization(id: $id) { webhookEndpoints { id deliveries(first: 5) { nodes {
        webhookId eventType status attempts lastStatusCode durationMs nextAttemptAt } } } } }`,
      { id: o.orgId },
    );
    const [listed] = data.organization.webhookEndpoints;
    expect(listed.id).toBe(endpoint.id);
    expect(listed.deliveries.nodes).toEqual([
      expect.objectContaining({
        webhookId: received[0].headers['webhook-id'],
        eventType: 'group.created',
        status: 'DELIVERED',
        attempts: 2,
        lastStatusCode: 200,
        nextAttemptAt: null,
      }),
    ]);
  });

  it('410 Gone turns the endpoint off and its owners get one e-mail', async () => {
    const o = await scimOrg(t);
    const { endpoint } = await addEndpoint(o, '/gone', ['group.created']);
    receiver.script.set('/gone', [410]);
    await t.services.groups.create(cliActor(), o.orgId, { displayName: 'A' });
    await t.services.groups.create(cliActor(), o.orgId, { displayName: 'B' });
    await deliverAll();
    expect(receiver.on('/gone')).toHaveLength(1);
    const list = await t.services.webhooks.list(cliActor(), o.orgId);
    expect(list.find((e) => e.id === endpoint.id)).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/410/),
    });
    const mails = await t.orm.em
      .fork()
      .execute<{ recipient: string }[]>(
        "select recipient from outbox_message where kind = 'WEBHOOK_DISABLED' and organization_id is null and recipient in (select email from member where organization_id = ?)",
        [o.orgId],
      );
    expect(mails).toHaveLength(1);
  });

  it('a dead endpoint does not delay a live one', async () => {
    const o = await scimOrg(t);
    await addEndpoint(o, '/dead', ['group.created']);
    await addEndpoint(o, '/live', ['group.created']);
    receiver.script.set('/dead', ['hang']);
    t.webhookDispatcher.start();
    try {
      const started = Date.now();
      for (let i = 0; i < 3; i++) await t.services.groups.create(cliActor(), o.orgId, { displayName: `G${i}` });
      while (receiver.on('/live').length < 3 && Date.now() - started < 8000)
        await new Promise((r) => setTimeout(r, 50));
      expect(receiver.on('/live')).toHaveLength(3);
      // Well inside the dead endpoint's 10 s timeout: the live one never waited for it.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await t.webhookDispatcher.stop();
    }
  }, 30_000);

  it("a busy endpoint's backlog is claimed again as soon as its lane is done, not at the next idle poll", async () => {
    const o = await scimOrg(t);
    await addEndpoint(o, '/backlog', ['group.created']);
    receiver.delayMs.set('/backlog', 100);
    for (let i = 0; i < 6; i++) await t.services.groups.create(cliActor(), o.orgId, { displayName: `B${i}` });
    // Two deliveries per claim and an idle poll far longer than the test: only the lane's end can claim the rest.
    const dispatcher = new WebhookDispatcher(t.orm, new SecretBox(secretKeyLoader(secretKey, null)), t.logger, {
      allowPrivateNetworks: true,
      publicUrl: 'http://orgd.test',
      intervalMs: 60_000,
      perEndpoint: 2,
      timeoutMs: 2000,
    });
    dispatcher.start();
    try {
      const started = Date.now();
      while (receiver.on('/backlog').length < 6 && Date.now() - started < 10_000)
        await new Promise((r) => setTimeout(r, 50));
      expect(receiver.on('/backlog')).toHaveLength(6);
    } finally {
      await dispatcher.stop();
    }
  }, 30_000);

  it("an endpoint's deliveries arrive in the order the changes committed", async () => {
    const o = await scimOrg(t);
    await addEndpoint(o, '/ordered', ['group.created']);
    for (let i = 0; i < 8; i++) await t.services.groups.create(cliActor(), o.orgId, { displayName: `O${i}` });
    await deliverAll();
    const sequences = bodies(receiver.on('/ordered')).map((e) => e.sequence);
    expect(sequences).toHaveLength(8);
    expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
  });

  it('manageWebhooks: a USER may not list or add endpoints; 10 endpoints at most', async () => {
    const o = await scimOrg(t);
    const email = `u-${unique()}@example.test`;
    const { member, invitationToken } = await t.services.memberLifecycle.invite(cliActor(), o.orgId, { email });
    await t.services.memberLifecycle.accept(await userActor(t.services, email), invitationToken);
    await t.services.memberLifecycle.confirm(cliActor(), o.orgId, member.id);
    const token = (await t.services.tokens.create(cliActor(), { email })).token;
    const refused = await gql(t.app, token, CREATE, { input: { organizationId: o.orgId, url: `${base}/x` } });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    const listed = await gql(t.app, token, `query($id: ID!) { organization(id: $id) { webhookEndpoints { id } } }`, {
      id: o.orgId,
    });
    expect(codes(listed)).toEqual(['FORBIDDEN']);
    for (let i = 0; i < 10; i++) await addEndpoint(o, `/n${i}`);
    const eleventh = await gql(t.app, o.ownerToken, CREATE, { input: { organizationId: o.orgId, url: `${base}/n10` } });
    expect(eleventh.body.data!.webhookEndpointCreate).toMatchObject({ endpoint: null, secret: null });
    expect(eleventh.body.data!.webhookEndpointCreate.userErrors[0].message).toMatch(/at most 10/);
  });
});
