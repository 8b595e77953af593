/**
 * Living beside the identity provider: a member revoked here with "keep revoked" stays REVOKED through the
 * provider's routine `active: true` (JumpCloud PUTs the whole user on every profile sync), and SCIM (de)activations
 * are audited, and announced, as the revocations and restores they are.
 */
import { cliActor } from '../../src/domain/actor';
import { ScimProvider } from '../../src/domain/enums';
import { eventDrafts } from '../../src/services/webhooks/event-drafts';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { PATCH_SCHEMA, type ScimOrg, USER_SCHEMA, scim, scimOrg } from '../helpers/scim';
import { ok } from '../graphql/gql';
import { ENTERPRISE } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const HEADERS = { 'User-Agent': 'JumpCloud-SCIM/2.0', 'Content-Type': 'application/scim+json' };

/** A user the way JumpCloud's default attribute mapping PUTs it (empty strings for unset attributes). */
function jumpCloudUser(email: string, externalId: string, title: string, active = true) {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId,
    userName: email,
    displayName: 'Frances Allen',
    name: { givenName: 'Frances', familyName: 'Allen', formatted: 'Frances Allen' },
    emails: [{ value: email, type: 'work', primary: true }],
    active,
    title,
    phoneNumbers: [{ value: '', type: 'work' }],
    [ENTERPRISE]: { employeeNumber: '', department: '', costCenter: '', organization: '', manager: { value: '' } },
  };
}

async function jumpCloudOrg(): Promise<ScimOrg> {
  const o = await scimOrg(t);
  await t.services.scimSettings.update(cliActor(), o.orgId, { provider: ScimProvider.JUMPCLOUD });
  return o;
}

const MEMBER = `query($org: ID!, $id: ID!) { organization(id: $org) { member(id: $id) {
  status title revocationReason revocationHold { by at } managedBy } } }`;

const member = async (o: ScimOrg, id: string) =>
  (await ok(t.app, o.ownerToken, MEMBER, { org: o.orgId, id })).organization.member;

/**
 * The member's audit events, oldest first; those of one request (one transaction, the same instant) by type, as
 * their order within the request is not recorded.
 */
async function trail(o: ScimOrg, memberId: string) {
  const page = await t.services.audit.list(cliActor(), o.orgId, { memberId }, { first: 50 });
  const request = (e: { requestId: string | null; id: string }) => e.requestId ?? e.id;
  const firstSeen = new Map<string, number>();
  const events = [...page.items].reverse();
  events.forEach((e, i) => firstSeen.set(request(e), firstSeen.get(request(e)) ?? i));
  return events.sort((a, b) => firstSeen.get(request(a))! - firstSeen.get(request(b))! || a.type.localeCompare(b.type));
}

const REVOKE = `mutation($input: MembersRevokeInput!) { membersRevoke(input: $input) {
  results { memberId member { status revocationReason revocationHold { by } } userErrors { code message } } } }`;

describe(`keep revoked, and lifecycle events named for what happened (${engineName()})`, () => {
  it("keeps a held member REVOKED through JumpCloud's PUT active: true, applies the rest, and audits the held-back restore", async () => {
    const o = await jumpCloudOrg();
    const jc = scim(t, o, HEADERS);
    const email = `frances-${unique()}@example.com`;
    const externalId = `${unique()}${unique()}${unique()}`;
    const created = await jc.post('/Users', jumpCloudUser(email, externalId, 'Engineer')).expect(201);
    const id: string = created.body.id;
    expect(await member(o, id)).toMatchObject({ managedBy: 'JumpCloud', revocationHold: null });

    const ownerEmail = (await t.services.memberProfiles.get(cliActor(), o.orgId, o.ownerMemberId)).email;
    const revoked = await ok(t.app, o.ownerToken, REVOKE, {
      input: { organizationId: o.orgId, memberIds: [id], reason: 'left the company', keepRevoked: true },
    });
    expect(revoked.membersRevoke.results[0]).toMatchObject({
      memberId: id,
      member: { status: 'REVOKED', revocationReason: 'left the company', revocationHold: { by: ownerEmail } },
      userErrors: [],
    });

    // JumpCloud's routine profile sync: the whole user, active: true, with one attribute changed.
    const put = await jc.put(`/Users/${id}`, { ...jumpCloudUser(email, externalId, 'Staff Engineer'), id }).expect(200);
    expect(put.body).toMatchObject({ active: false, title: 'Staff Engineer' });
    // The same through PATCH, as other providers send it.
    await jc
      .patch(`/Users/${id}`, { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: true } }] })
      .expect(200);
    // And the next routine sync: still held back, no longer audited.
    await jc.put(`/Users/${id}`, { ...jumpCloudUser(email, externalId, 'Staff Engineer'), id }).expect(200);

    const after = await member(o, id);
    expect(after).toMatchObject({
      status: 'REVOKED',
      title: 'Staff Engineer',
      revocationReason: 'left the company',
      revocationHold: { by: ownerEmail },
    });
    const events = await trail(o, id);
    expect(events.map((e) => [e.type, e.actorKind])).toEqual([
      ['member.provisioned', 'SCIM'],
      ['member.revoked', 'USER'],
      ['member.restore_held_back', 'SCIM'], // the PUT: the restore held back (once per hold), the title changed
      ['member.updated', 'SCIM'],
    ]);
    expect(events[1].data).toMatchObject({ reason: 'left the company', keepRevoked: true, to: 'REVOKED' });
    expect(events[2].data).toMatchObject({ heldBy: ownerEmail, reason: 'left the company' });
    expect(events[3].data).toMatchObject({ fields: ['title'] });
    // The provisioning log's summary says why the member stayed revoked.
    const log = await t.services.scimRequestLog.list(cliActor(), o.orgId, {}, { first: 5 });
    expect(log.items.map((r) => r.summary).slice(0, 3)).toEqual(
      Array(3).fill(expect.stringContaining('restore held back: kept revoked by an administrator')),
    );
    expect(log.items.map((r) => r.summary)).toContain(
      `user ${id} replaced (REVOKED; restore held back: kept revoked by an administrator)`,
    );

    // An explicit restore lifts the hold; the provider's next deactivation and activation apply again.
    const restored = await ok(
      t.app,
      o.ownerToken,
      `mutation($input: MemberIdsInput!) { membersRestore(input: $input) { results { member { status revocationHold { by } revocationReason } } } }`,
      { input: { organizationId: o.orgId, memberIds: [id] } },
    );
    expect(restored.membersRestore.results[0].member).toEqual({
      status: 'INVITED',
      revocationHold: null,
      revocationReason: null,
    });
    await jc.put(`/Users/${id}`, { ...jumpCloudUser(email, externalId, 'Staff Engineer', false), id }).expect(200);
    await jc.put(`/Users/${id}`, { ...jumpCloudUser(email, externalId, 'Staff Engineer'), id }).expect(200);
    expect((await member(o, id)).status).toBe('INVITED');
    expect((await trail(o, id)).slice(-3).map((e) => [e.type, e.actorKind])).toEqual([
      ['member.restored', 'USER'],
      ['member.revoked', 'SCIM'],
      ['member.restored', 'SCIM'],
    ]);
  });

  it('audits the held-back restore once per hold: three syncs record one event, a new hold records its own', async () => {
    const o = await jumpCloudOrg();
    const jc = scim(t, o, HEADERS);
    const email = `hold-${unique()}@example.com`;
    const externalId = `${unique()}${unique()}${unique()}`;
    const id: string = (await jc.post('/Users', jumpCloudUser(email, externalId, 'Engineer')).expect(201)).body.id;
    const revokeKept = () =>
      ok(t.app, o.ownerToken, REVOKE, {
        input: { organizationId: o.orgId, memberIds: [id], reason: 'on leave', keepRevoked: true },
      });
    const sync = () => jc.put(`/Users/${id}`, { ...jumpCloudUser(email, externalId, 'Engineer'), id }).expect(200);
    const heldBack = async () =>
      (await trail(o, id)).filter((e) => e.type === 'member.restore_held_back').map((e) => e.data?.heldAt);

    await revokeKept();
    for (let i = 0; i < 3; i++) expect((await sync()).body.active).toBe(false);
    const first = await heldBack();
    expect(first).toHaveLength(1);

    // Restored by hand, revoked and held again: the provider's next restore is the new hold's first.
    await ok(
      t.app,
      o.ownerToken,
      `mutation($input: MemberIdsInput!) { membersRestore(input: $input) { results { member { status } } } }`,
      { input: { organizationId: o.orgId, memberIds: [id] } },
    );
    await revokeKept();
    await sync();
    await sync();
    const second = await heldBack();
    expect(second).toHaveLength(2);
    // Each event names its own hold.
    expect(new Set(second).size).toBe(2);
    expect((await member(o, id)).status).toBe('REVOKED');
  });

  it('audits a SCIM deactivation as member.revoked, announced as member.revoked alone; member.updated only when a profile attribute changed', async () => {
    const o = await jumpCloudOrg();
    const jc = scim(t, o, HEADERS);
    const email = `grace-${unique()}@example.com`;
    const externalId = `${unique()}${unique()}${unique()}`;
    const id: string = (await jc.post('/Users', jumpCloudUser(email, externalId, 'Admiral')).expect(201)).body.id;

    // A bare deactivation: one lifecycle event, no update.
    await jc.put(`/Users/${id}`, { ...jumpCloudUser(email, externalId, 'Admiral', false), id }).expect(200);
    // A reactivation with a changed title: the restore, and the update that names the attribute.
    await jc.put(`/Users/${id}`, { ...jumpCloudUser(email, externalId, 'Rear Admiral'), id }).expect(200);
    // The routine PUT that changes nothing leaves no trace.
    await jc.put(`/Users/${id}`, { ...jumpCloudUser(email, externalId, 'Rear Admiral'), id }).expect(200);

    const events = await trail(o, id);
    expect(events.map((e) => [e.type, e.actorKind, e.actorProvider])).toEqual([
      ['member.provisioned', 'SCIM', 'jumpcloud'],
      ['member.revoked', 'SCIM', 'jumpcloud'],
      ['member.restored', 'SCIM', 'jumpcloud'], // one PUT: the restore and the title
      ['member.updated', 'SCIM', 'jumpcloud'],
    ]);
    expect(events[1].data).toMatchObject({ email, from: 'INVITED', to: 'REVOKED' });
    expect(events[3].data).toEqual({ email, fields: ['title'] });

    const announced = eventDrafts({
      audited: events.slice(1).map((event) => ({ actor: cliActor(), event: event as never })),
      groupMembers: new Map(),
    });
    expect(announced.map((d) => d.type)).toEqual(['member.revoked', 'member.restored', 'member.updated']);

    // The event log's type filter finds the SCIM revocation.
    const byType = await t.services.audit.list(
      cliActor(),
      o.orgId,
      { memberId: id, types: ['member.revoked'] },
      {
        first: 5,
      },
    );
    expect(byType.items.map((e) => e.actorKind)).toEqual(['SCIM']);
  });

  it('refuses keepRevoked from the identity provider itself', async () => {
    const o = await jumpCloudOrg();
    const id: string = (
      await scim(t, o, HEADERS)
        .post('/Users', jumpCloudUser(`h-${unique()}@example.com`, unique(), ''))
        .expect(201)
    ).body.id;
    const scimActor = { kind: 'SCIM' as const, organizationId: o.orgId };
    await expect(
      t.services.memberLifecycle.revoke(scimActor, o.orgId, id, null, { keepRevoked: true }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await member(o, id)).status).toBe('INVITED');
  });
});
