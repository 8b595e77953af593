import { MemberRole } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember } from '../helpers/factories';
import { type ScimOrg, PATCH_SCHEMA, newUser, scim, scimOrg } from '../helpers/scim';
import { SmtpReceiver } from '../helpers/smtp';
import { codes, gql, ok, tokenFor } from '../graphql/gql';

const smtp = new SmtpReceiver();
let t: TestApp;
beforeAll(async () => {
  const port = await smtp.start();
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
});
afterAll(async () => {
  await t?.close();
  await smtp.stop();
});

const SETTINGS = `mutation($input: ScimSettingsUpdateInput!) {
  scimSettingsUpdate(input: $input) {
    scim { deprovisioningSafeguard { enabled threshold windowMinutes } }
    userErrors { code field message } } }`;
const READ_SETTINGS = `query($id: ID!) { organization(id: $id) { scim { deprovisioningSafeguard { enabled threshold windowMinutes } } } }`;
const HELD = `query($id: ID!) { organization(id: $id) { heldDeprovisionings(first: 50) {
  totalCount nodes { id memberId memberEmail action status requestedAt requestId clientRequestId apiKeyHint } } } }`;
const APPLY = `mutation($input: HeldDeprovisioningsDecideInput!) {
  heldDeprovisioningsApply(input: $input) { heldDeprovisionings { id status } userErrors { code field message } } }`;
const DISCARD = `mutation($input: HeldDeprovisioningsDecideInput!) {
  heldDeprovisioningsDiscard(input: $input) { heldDeprovisionings { id status } userErrors { code field message } } }`;

const deactivate = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] };

async function safeguardedOrg(safeguard: Record<string, unknown>) {
  const o = await scimOrg(t);
  const res = await ok(t.app, o.ownerToken, SETTINGS, {
    input: { organizationId: o.orgId, deprovisioningSafeguard: safeguard },
  });
  expect(res.scimSettingsUpdate.userErrors).toEqual([]);
  return o;
}

async function provision(o: ScimOrg, n: number): Promise<{ id: string; email: string }[]> {
  const users = [];
  for (let i = 0; i < n; i++) {
    const res = await scim(t, o).post('/Users', newUser());
    expect(res.status).toBe(201);
    users.push({ id: res.body.id as string, email: res.body.userName as string });
  }
  return users;
}

const held = async (o: ScimOrg) =>
  (await ok(t.app, o.ownerToken, HELD, { id: o.orgId })).organization.heldDeprovisionings;

const ownerEmail = async (o: ScimOrg) =>
  (await t.orm.em.fork().execute<{ email: string }[]>('select email from member where id = ?', [o.ownerMemberId]))[0]
    .email;

const sql = <T extends object>(query: string, params: unknown[]) => t.orm.em.fork().execute<T[]>(query, params);

/** Delivers what the outbox holds now, over the real SMTP receiver. */
const drainMail = async () => {
  while ((await t.dispatcher.drainOnce()) > 0);
};

describe(`the deprovisioning safeguard (${engineName()})`, () => {
  it('applies up to the threshold, holds the next (deduplicating a resend), mails the owners once, and applies on request', async () => {
    const o = await safeguardedOrg({ threshold: 3, windowMinutes: 60 });
    const [a, b, c, d, e, f] = await provision(o, 6);
    const owner = await ownerEmail(o);
    await drainMail();
    smtp.messages.length = 0;

    // Three deprovisionings, by PATCH, PUT and DELETE, apply.
    expect((await scim(t, o).patch(`/Users/${a.id}`, deactivate)).body.active).toBe(false);
    expect((await scim(t, o).put(`/Users/${b.id}`, newUser(b.email, { active: false }))).body.active).toBe(false);
    expect((await scim(t, o).delete(`/Users/${c.id}`)).status).toBe(204);
    expect((await scim(t, o).get(`/Users/${c.id}`)).status).toBe(404);

    // The fourth is held: answered 200 with the member as it stays, active.
    const fourth = await scim(t, o).patch(`/Users/${d.id}`, deactivate).set('X-Request-Id', 'idp-request-4');
    expect(fourth.status).toBe(200);
    expect(fourth.body.active).toBe(true);
    expect((await scim(t, o).get(`/Users/${d.id}`)).body.active).toBe(true);

    // A resend joins the same hold.
    const resent = await scim(t, o).put(`/Users/${d.id}`, newUser(d.email, { active: false }));
    expect([resent.status, resent.body.active]).toEqual([200, true]);

    // A deletion past the threshold is held too: 204, and the user is still there.
    expect((await scim(t, o).delete(`/Users/${e.id}`)).status).toBe(204);
    expect((await scim(t, o).get(`/Users/${e.id}`)).status).toBe(200);
    expect((await scim(t, o).delete(`/Users/${e.id}`)).status).toBe(204); // a resend of the deletion

    const list = await held(o);
    expect(list.totalCount).toBe(2);
    expect(list.nodes).toEqual([
      expect.objectContaining({
        memberId: d.id,
        memberEmail: d.email,
        action: 'DEACTIVATE',
        status: 'HELD',
        clientRequestId: 'idp-request-4',
        requestId: expect.any(String),
        apiKeyHint: expect.stringMatching(new RegExp(`${o.apiKey.slice(-4)}$`)),
      }),
      expect.objectContaining({ memberId: e.id, action: 'DELETE', status: 'HELD' }),
    ]);

    // The owners hear of it once, not per held person.
    await drainMail();
    expect(smtp.to(owner)).toHaveLength(1);
    expect(smtp.to(owner)[0].raw).toContain('Subject: SCIM deprovisionings are on hold');
    expect(smtp.to(owner)[0].text).toContain(`http://orgd.test/orgs/${o.orgId}/settings/scim`);
    expect(smtp.messages).toHaveLength(1);

    // A member the safeguard did not touch is unaffected by the decision.
    expect((await scim(t, o).get(`/Users/${f.id}`)).body.active).toBe(true);

    const applied = (await ok(t.app, o.ownerToken, APPLY, { input: { organizationId: o.orgId, all: true } }))
      .heldDeprovisioningsApply;
    expect(applied.userErrors).toEqual([]);
    expect(applied.heldDeprovisionings.map((h: { status: string }) => h.status)).toEqual(['APPLIED', 'APPLIED']);
    expect((await scim(t, o).get(`/Users/${d.id}`)).body.active).toBe(false);
    expect((await scim(t, o).get(`/Users/${e.id}`)).status).toBe(404);
    expect((await held(o)).totalCount).toBe(0);

    const audit = await sql<{ type: string; actor_kind: string; actor_member_id: string; data: any }>(
      `select type, actor_kind, actor_member_id, data from audit_event
        where organization_id = ? and data ->> 'heldDeprovisioningId' is not null order by occurred_at, type`,
      [o.orgId],
    );
    const byOwner = audit.filter((row) => row.actor_kind === 'USER');
    expect(byOwner.map((row) => [row.type, row.actor_member_id, row.data.email])).toEqual([
      ['member.revoked', o.ownerMemberId, d.email],
      ['member.removed', o.ownerMemberId, e.email],
    ]);
    expect(byOwner[0].data).toMatchObject({ from: 'INVITED', to: 'REVOKED', scimRequestId: expect.any(String) });
    expect(audit.filter((row) => row.type === 'member.deprovisioning_held')).toHaveLength(2);
    const rows = await sql<{ status: string }>('select status from held_deprovisioning where organization_id = ?', [
      o.orgId,
    ]);
    expect(rows.map((r) => r.status)).toEqual(['APPLIED', 'APPLIED']);
  });

  it('discards: the held rows are DISCARDED, the members unchanged, each decision audited', async () => {
    const o = await safeguardedOrg({ threshold: 1 });
    const [a, b, c] = await provision(o, 3);
    expect((await scim(t, o).patch(`/Users/${a.id}`, deactivate)).body.active).toBe(false);
    expect((await scim(t, o).patch(`/Users/${b.id}`, deactivate)).body.active).toBe(true);
    expect((await scim(t, o).delete(`/Users/${c.id}`)).status).toBe(204);
    const ids = (await held(o)).nodes.map((h: { id: string }) => h.id);
    expect(ids).toHaveLength(2);

    const discarded = (await ok(t.app, o.ownerToken, DISCARD, { input: { organizationId: o.orgId, ids } }))
      .heldDeprovisioningsDiscard;
    expect(discarded.userErrors).toEqual([]);
    expect((await scim(t, o).get(`/Users/${b.id}`)).body.active).toBe(true);
    expect((await scim(t, o).get(`/Users/${c.id}`)).status).toBe(200);
    expect((await held(o)).totalCount).toBe(0);
    const rows = await sql<{ status: string; resolved_by_member_id: string }>(
      'select status, resolved_by_member_id from held_deprovisioning where organization_id = ?',
      [o.orgId],
    );
    expect(rows).toEqual([
      { status: 'DISCARDED', resolved_by_member_id: o.ownerMemberId },
      { status: 'DISCARDED', resolved_by_member_id: o.ownerMemberId },
    ]);
    const audit = await sql<{ target_id: string }>(
      `select target_id from audit_event where organization_id = ? and type = 'member.deprovisioning_discarded'`,
      [o.orgId],
    );
    expect(audit.map((r) => r.target_id).sort()).toEqual([b.id, c.id].sort());

    // Deciding again on the same ids: they are no longer held, and nothing changes.
    const again = await gql(t.app, o.ownerToken, APPLY, { input: { organizationId: o.orgId, ids } });
    expect(codes(again)).toEqual(['NOT_FOUND']);
    expect((await scim(t, o).get(`/Users/${b.id}`)).body.active).toBe(true);
  });

  it('an identity provider that reactivates a member drops its held deactivation; the provisioning log says what was held', async () => {
    const o = await safeguardedOrg({ threshold: 1 });
    const [a, b, c] = await provision(o, 3);
    await scim(t, o).patch(`/Users/${a.id}`, deactivate);
    expect((await scim(t, o).put(`/Users/${b.id}`, newUser(b.email, { active: false }))).body.active).toBe(true);
    expect((await scim(t, o).patch(`/Users/${c.id}`, deactivate)).body.active).toBe(true);
    expect((await held(o)).totalCount).toBe(2);

    // Back in scope: the IdP sends the user active again (here a full PUT, as Okta and JumpCloud do).
    expect((await scim(t, o).put(`/Users/${b.id}`, newUser(b.email, { active: true }))).body.active).toBe(true);
    expect((await held(o)).nodes.map((h: { memberId: string }) => h.memberId)).toEqual([c.id]);
    const audit = await sql<{ actor_kind: string; data: any }>(
      `select actor_kind, data from audit_event where target_id = ? and type = 'member.deprovisioning_discarded'`,
      [b.id],
    );
    expect(audit).toEqual([
      { actor_kind: 'SCIM', data: expect.objectContaining({ reason: 'the identity provider reactivated the member' }) },
    ]);

    const LOG = `query($id: ID!) { organization(id: $id) { scim { requestLog(first: 20) { nodes { method summary } } } } }`;
    const summaries = (await ok(t.app, o.ownerToken, LOG, { id: o.orgId })).organization.scim.requestLog.nodes.map(
      (n: { summary: string }) => n.summary,
    );
    expect(summaries).toEqual(
      expect.arrayContaining([
        `user ${c.id} patched (1 operations, INVITED; deactivation held by the deprovisioning safeguard)`,
        `user ${b.id} replaced (INVITED; deactivation held by the deprovisioning safeguard)`,
        `user ${a.id} patched (1 operations, REVOKED)`,
      ]),
    );
  });

  it('applies a held deletion and a later held deactivation of the same member together', async () => {
    const o = await safeguardedOrg({ threshold: 1 });
    const [a, b] = await provision(o, 2);
    await scim(t, o).patch(`/Users/${a.id}`, deactivate);
    expect((await scim(t, o).delete(`/Users/${b.id}`)).status).toBe(204);
    expect((await scim(t, o).patch(`/Users/${b.id}`, deactivate)).body.active).toBe(true);
    expect((await held(o)).nodes.map((h: { action: string }) => h.action)).toEqual(['DELETE', 'DEACTIVATE']);
    const applied = (await ok(t.app, o.ownerToken, APPLY, { input: { organizationId: o.orgId, all: true } }))
      .heldDeprovisioningsApply;
    expect(applied.userErrors).toEqual([]);
    expect((await scim(t, o).get(`/Users/${b.id}`)).status).toBe(404);
    const rows = await sql<{ status: string; member_id: string | null }>(
      'select status, member_id from held_deprovisioning where organization_id = ?',
      [o.orgId],
    );
    expect(rows).toEqual([
      { status: 'APPLIED', member_id: null },
      { status: 'APPLIED', member_id: null },
    ]);
  });

  it('a member removed by hand leaves no hold behind, and the next trip is reported again', async () => {
    const o = await safeguardedOrg({ threshold: 1 });
    const [a, b, c] = await provision(o, 3);
    const owner = await ownerEmail(o);
    await scim(t, o).patch(`/Users/${a.id}`, deactivate);
    expect((await scim(t, o).patch(`/Users/${b.id}`, deactivate)).body.active).toBe(true);
    await drainMail();
    expect(smtp.to(owner)).toHaveLength(1);

    const REMOVE = `mutation($input: MemberIdsInput!) { membersRemove(input: $input) { userErrors { code } } }`;
    const removed = await ok(t.app, o.ownerToken, REMOVE, { input: { organizationId: o.orgId, memberIds: [b.id] } });
    expect(removed.membersRemove.userErrors).toEqual([]);
    expect((await held(o)).totalCount).toBe(0);
    expect(await sql('select status from held_deprovisioning where organization_id = ?', [o.orgId])).toEqual([
      { status: 'DISCARDED' },
    ]);

    expect((await scim(t, o).delete(`/Users/${c.id}`)).status).toBe(204);
    expect((await held(o)).totalCount).toBe(1);
    await drainMail();
    expect(smtp.to(owner)).toHaveLength(2);
  });

  it('disabled, every deprovisioning applies', async () => {
    const o = await safeguardedOrg({ enabled: false, threshold: 1 });
    const users = await provision(o, 3);
    for (const u of users) expect((await scim(t, o).patch(`/Users/${u.id}`, deactivate)).body.active).toBe(false);
    expect((await scim(t, o).delete(`/Users/${users[0].id}`)).status).toBe(204);
    expect((await scim(t, o).get(`/Users/${users[0].id}`)).status).toBe(404);
    expect((await held(o)).totalCount).toBe(0);
  });

  it('lets concurrent deprovisionings through up to the threshold only', async () => {
    const o = await safeguardedOrg({ threshold: 3 });
    const users = await provision(o, 8);
    const answers = await Promise.all(users.map((u) => scim(t, o).patch(`/Users/${u.id}`, deactivate)));
    expect(answers.map((r) => r.status)).toEqual(users.map(() => 200));
    expect(answers.filter((r) => r.body.active === false)).toHaveLength(3);
    expect((await held(o)).totalCount).toBe(5);
  });

  it('is on by default (50 in 60 minutes), validates its settings, and needs owner authority to change', async () => {
    const o = await scimOrg(t);
    const read = async () => (await ok(t.app, o.ownerToken, READ_SETTINGS, { id: o.orgId })).organization.scim;
    expect((await read()).deprovisioningSafeguard).toEqual({ enabled: true, threshold: 50, windowMinutes: 60 });

    for (const [safeguard, field] of [
      [{ threshold: 0 }, 'deprovisioningSafeguard.threshold'],
      [{ threshold: 10_001 }, 'deprovisioningSafeguard.threshold'],
      [{ windowMinutes: 0 }, 'deprovisioningSafeguard.windowMinutes'],
      [{ windowMinutes: 10_081, threshold: 5 }, 'deprovisioningSafeguard.windowMinutes'],
    ] as const) {
      const res = await ok(t.app, o.ownerToken, SETTINGS, {
        input: { organizationId: o.orgId, deprovisioningSafeguard: safeguard },
      });
      expect(res.scimSettingsUpdate).toEqual({
        scim: null,
        userErrors: [expect.objectContaining({ code: 'INVALID_INPUT', field })],
      });
    }
    expect((await read()).deprovisioningSafeguard).toEqual({ enabled: true, threshold: 50, windowMinutes: 60 });

    const edges = await ok(t.app, o.ownerToken, SETTINGS, {
      input: { organizationId: o.orgId, deprovisioningSafeguard: { threshold: 10_000, windowMinutes: 10_080 } },
    });
    expect(edges.scimSettingsUpdate.scim.deprovisioningSafeguard).toEqual({
      enabled: true,
      threshold: 10_000,
      windowMinutes: 10_080,
    });

    // An administrator manages members (and so may apply or discard held changes) but not what a SCIM key may do.
    const admin = await confirmedMember(t.services, o.orgId, MemberRole.ADMIN as never);
    const adminToken = await tokenFor(t.services, admin.email);
    const refused = await ok(t.app, adminToken, SETTINGS, {
      input: { organizationId: o.orgId, deprovisioningSafeguard: { enabled: false } },
    });
    expect(refused.scimSettingsUpdate.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    expect((await ok(t.app, adminToken, HELD, { id: o.orgId })).organization.heldDeprovisionings.totalCount).toBe(0);

    const both = await ok(t.app, o.ownerToken, APPLY, {
      input: { organizationId: o.orgId, all: true, ids: [o.ownerMemberId] },
    });
    expect(both.heldDeprovisioningsApply.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT' })]);
    const neither = await ok(t.app, o.ownerToken, DISCARD, { input: { organizationId: o.orgId } });
    expect(neither.heldDeprovisioningsDiscard.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT' })]);

    // A plain member sees no held list and decides nothing.
    const user = await confirmedMember(t.services, o.orgId);
    const userToken = await tokenFor(t.services, user.email);
    const hidden = await gql(t.app, userToken, HELD, { id: o.orgId });
    expect(hidden.body.data!.organization.heldDeprovisionings).toBeNull();
    expect(codes(await gql(t.app, userToken, APPLY, { input: { organizationId: o.orgId, all: true } }))).toEqual([
      'FORBIDDEN',
    ]);
  });
});
