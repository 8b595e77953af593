import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { makeOrganization, unique } from '../helpers/factories';
import { SmtpReceiver } from '../helpers/smtp';
import { invitationTokenOf, ok } from '../graphql/gql';

const smtp = new SmtpReceiver();
let t: TestApp;

beforeAll(async () => {
  const port = await smtp.start();
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
});

afterAll(async () => {
  await t.close();
  await smtp.stop();
});

const post = (path: string, body: unknown, cookie?: string) => {
  const req = request(t.app).post(path).set('content-type', 'application/json');
  if (cookie) req.set('cookie', cookie);
  return req.send(body as object);
};
const cookieOf = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('orgd_session='))
    ?.split(';')[0];

const INVITE = `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { results { member { id status } } userErrors { code } } }`;
const CONFIRM = `mutation($input: MembersConfirmInput!) { membersConfirm(input: $input) { results { member { id status } userErrors { code } } } }`;
const MEMBER = `query($org: ID!) { organization(id: $org) { members(first: 10) { nodes { id email status user { email } } } } }`;

async function invite(orgId: string, ownerToken: string, email = `invitee-${unique()}@example.test`) {
  const res = await ok(t.app, ownerToken, INVITE, { input: { organizationId: orgId, emails: [email], role: 'ADMIN' } });
  const memberId: string = res.membersInvite.results[0].member.id;
  return { email, memberId, token: await invitationTokenOf(t.orm, memberId) };
}

describe(`invitation acceptance in the browser (${engineName()})`, () => {
  it('walks Invite -> the e-mailed link -> preview -> Accept (signed in) -> the owner confirms', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services, `Acme ${unique()}`);
    const email = `alice-${unique()}@example.test`;
    const { memberId } = await invite(orgId, ownerToken, email);

    // The e-mail's link, as the real SMTP sink received it.
    await t.dispatcher.drainOnce();
    await smtp.waitFor(() => smtp.to(email).length === 1);
    const link = /(http:\/\/orgd\.test\/invitations\/accept\?token=\S+)/.exec(smtp.to(email)[0].text)?.[1];
    expect(link).toBeDefined();
    const token = new URL(link!).searchParams.get('token')!;

    const preview = await post('/auth/invitation', { token });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      status: 'VALID',
      organizationName: expect.stringMatching(/^Acme /),
      invitedBy: 'Owner',
      email,
      role: 'ADMIN',
      expiresAt: expect.any(String),
      accountExists: false,
      signedInAs: null,
    });
    expect(new Date(preview.body.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const accepted = await post('/auth/invitation/accept', { token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({
      organizationId: orgId,
      organizationName: preview.body.organizationName,
      memberId,
      status: 'ACCEPTED',
    });
    const cookie = cookieOf(accepted);
    expect(cookie).toBeDefined();

    // The invitee is signed in as the account of the invited address (created by the acceptance).
    const viewer = await request(t.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('cookie', cookie!)
      .send({ query: '{ viewer { user { email } } }' });
    expect(viewer.body.data.viewer.user.email).toBe(email);
    const [event] = await t.orm.em
      .fork()
      .getConnection()
      .execute(
        `select e.details from account_event e join app_user u on u.id = e.user_id where lower(u.email) = lower(?) and e.type = 'account.signed_in'`,
        [email],
      );
    expect(event.details.method).toBe('invitation');

    const before = (await ok(t.app, ownerToken, MEMBER, { org: orgId })).organization.members.nodes.find(
      (m: any) => m.id === memberId,
    );
    expect(before).toMatchObject({ status: 'ACCEPTED', user: { email } });
    const confirmed = await ok(t.app, ownerToken, CONFIRM, {
      input: { organizationId: orgId, members: [{ memberId }] },
    });
    expect(confirmed.membersConfirm.results[0]).toEqual({
      member: { id: memberId, status: 'CONFIRMED' },
      userErrors: [],
    });

    // The link again: already used, and it changes nothing.
    expect((await post('/auth/invitation', { token })).body.status).toBe('USED');
    const again = await post('/auth/invitation/accept', { token });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('INVITATION_USED');
    expect(cookieOf(again)).toBeUndefined();
  });

  it('uses the existing account of the invited address, once it is signed in', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    const email = `known-${unique()}@example.test`;
    const account = await t.services.tokens.userForEmail(email);
    const { token, memberId } = await invite(orgId, ownerToken, email.toUpperCase());
    // The link alone does not sign an existing account in: its owner signs in, then accepts.
    const anonymous = await post('/auth/invitation/accept', { token });
    expect(anonymous.status).toBe(409);
    expect(anonymous.body.error.code).toBe('SIGN_IN_REQUIRED');
    const signedIn = await post('/auth/token', {
      token: (await t.services.tokens.create(cliActor(), { email })).token,
    });
    const accepted = await post('/auth/invitation/accept', { token }, cookieOf(signedIn));
    expect(accepted.status).toBe(200);
    const member = (await ok(t.app, ownerToken, MEMBER, { org: orgId })).organization.members.nodes.find(
      (m: any) => m.id === memberId,
    );
    expect(member.user.email).toBe(account.email);
    const [{ count }] = await t.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as count from app_user where lower(email) = lower(?)`, [email]);
    expect(count).toBe(1);
  });

  it('says EXPIRED for an expired invitation and refuses to accept it, changing nothing', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    const { token, memberId, email } = await invite(orgId, ownerToken);
    await t.orm.em
      .fork()
      .getConnection()
      .execute(`update member set invitation_expires_at = now() - interval '1 minute' where id = ?`, [memberId]);
    const preview = await post('/auth/invitation', { token });
    expect(preview.body).toMatchObject({ status: 'EXPIRED', email });
    const res = await post('/auth/invitation/accept', { token });
    expect(res.status).toBe(410);
    expect(res.body.error).toEqual({ code: 'INVITATION_EXPIRED', message: expect.stringMatching(/expired/) });
    expect(cookieOf(res)).toBeUndefined();
    const [{ count }] = await t.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as count from app_user where lower(email) = lower(?)`, [email]);
    expect(count).toBe(0);
    const member = (await ok(t.app, ownerToken, MEMBER, { org: orgId })).organization.members.nodes.find(
      (m: any) => m.id === memberId,
    );
    expect(member.status).toBe('INVITED');
  });

  it('says REVOKED for the invitation of a revoked member', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    const { token, memberId } = await invite(orgId, ownerToken);
    await t.services.memberLifecycle.revoke(cliActor(), orgId, memberId);
    expect((await post('/auth/invitation', { token })).body.status).toBe('REVOKED');
    const res = await post('/auth/invitation/accept', { token });
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('INVITATION_REVOKED');
  });

  it('says INVALID for a token that matches nothing, with no details, and for a replaced token', async () => {
    const preview = await post('/auth/invitation', { token: 'inv_nothing' });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      status: 'INVALID',
      organizationName: null,
      invitedBy: null,
      email: null,
      role: null,
      expiresAt: null,
      accountExists: false,
      signedInAs: null,
    });
    const res = await post('/auth/invitation/accept', { token: 'inv_nothing' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('INVITATION_INVALID');

    const { orgId, ownerToken } = await makeOrganization(t.services);
    const { token, memberId } = await invite(orgId, ownerToken);
    await t.services.memberLifecycle.reinvite(cliActor(), orgId, memberId);
    expect((await post('/auth/invitation', { token })).body.status).toBe('INVALID');
  });

  it('accepts once when two tabs accept at the same moment', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    const { token } = await invite(orgId, ownerToken);
    const results = await Promise.all([
      post('/auth/invitation/accept', { token }),
      post('/auth/invitation/accept', { token }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
  });

  it('keeps the sign-in endpoint rules: JSON only, own origin, bad input answered 400', async () => {
    const form = await request(t.app).post('/auth/invitation/accept').set('content-type', 'text/plain').send('token=x');
    expect(form.status).toBe(415);
    const foreign = await request(t.app)
      .post('/auth/invitation/accept')
      .set('content-type', 'application/json')
      .set('origin', 'https://evil.example')
      .send({ token: 'x' });
    expect(foreign.status).toBe(403);
    const empty = await post('/auth/invitation', { token: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('INVALID_INPUT');
  });
});
