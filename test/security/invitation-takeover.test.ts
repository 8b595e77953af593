import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { makeOrganization, unique } from '../helpers/factories';
import { PATCH_SCHEMA, newUser, scim, scimOrg } from '../helpers/scim';
import { SmtpReceiver } from '../helpers/smtp';
import { codes, gql, ok, tokenFor } from '../graphql/gql';

/*
 * An invitation token is bound to the address it was mailed to. Whoever controls one organization's SCIM connection
 * must not be able to turn an invitation it received into a session for somebody else's account by changing the
 * member's address after the mail went out.
 */

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
const db = () => t.orm.em.fork().getConnection();

/** The invitation token from the latest invitation mail the SMTP receiver got for `address`. */
async function mailedToken(address: string, count = 1): Promise<string> {
  await t.dispatcher.drainOnce();
  await smtp.waitFor(() => smtp.to(address).length >= count);
  const text = smtp.to(address).at(-1)!.text;
  const link = /(http:\/\/orgd\.test\/invitations\/accept\?token=\S+)/.exec(text)?.[1];
  expect(link).toBeDefined();
  return new URL(link!).searchParams.get('token')!;
}

const viewerEmail = async (cookie: string): Promise<string | null> => {
  const res = await request(t.app)
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('cookie', cookie)
    .send({ query: '{ viewer { user { email } } }' });
  return res.body.data?.viewer?.user?.email ?? null;
};

/** The victim: an account that owns another organization. */
async function victim() {
  const org = await makeOrganization(t.services);
  const [user] = await db().execute(`select id, email from app_user where lower(email) = lower(?)`, [org.ownerEmail]);
  return { ...org, userId: user.id as string, email: user.email as string };
}

/** What must not change for the victim: its sessions, its memberships. */
async function victimState(userId: string) {
  const [{ sessions }] = await db().execute(`select count(*)::int as sessions from session where user_id = ?`, [
    userId,
  ]);
  const memberships = await db().execute(
    `select id, organization_id, status from member where user_id = ? order by id`,
    [userId],
  );
  return { sessions, memberships };
}

/** The attacker's organization, with SCIM on, and a provisioned member whose invitation mail the attacker reads. */
async function attackerWithInvitation(body?: (mailbox: string) => Record<string, unknown>) {
  const org = await scimOrg(t);
  const client = scim(t, org);
  const mailbox = `mailbox-${unique()}@evil.example`;
  const created = await client.post('/Users', body ? body(mailbox) : newUser(mailbox));
  expect(created.status).toBe(201);
  return { org, client, mailbox, memberId: created.body.id as string, token: await mailedToken(mailbox) };
}

async function refusedWithoutSideEffects(token: string, victimUserId: string, before: unknown) {
  const res = await post('/auth/invitation/accept', { token });
  expect(res.status).not.toBe(200);
  expect(cookieOf(res)).toBeUndefined();
  expect(await victimState(victimUserId)).toEqual(before);
  return res;
}

describe(`invitation takeover through a changed address (${engineName()})`, () => {
  it('SCIM PATCH of the e-mail voids the mailed token; the new address gets its own invitation', async () => {
    const target = await victim();
    const before = await victimState(target.userId);
    const { org, client, mailbox, memberId, token } = await attackerWithInvitation();

    const patched = await client.patch(`/Users/${memberId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'replace', path: 'emails', value: [{ value: target.email, type: 'work', primary: true }] },
        { op: 'replace', path: 'userName', value: target.email },
      ],
    });
    expect(patched.status).toBe(200);

    const res = await refusedWithoutSideEffects(token, target.userId, before);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('INVITATION_INVALID');
    expect((await post('/auth/invitation', { token })).body.status).toBe('INVALID');
    const [member] = await db().execute(`select status, user_id from member where id = ?`, [memberId]);
    expect(member).toEqual({ status: 'INVITED', user_id: null });

    // A fresh invitation went to the new address, audited with both addresses.
    const fresh = await mailedToken(target.email);
    expect(fresh).not.toBe(token);
    const [event] = await db().execute(
      `select data from audit_event where target_id = ? and type = 'member.reinvited'`,
      [memberId],
    );
    expect(event.data).toMatchObject({ reason: 'email changed', previousEmail: mailbox, email: target.email });
    const preview = await post('/auth/invitation', { token: fresh });
    expect(preview.body).toMatchObject({ status: 'VALID', email: target.email, accountExists: true });

    // Even the fresh invitation does not sign the existing account in by itself.
    const fromMail = await refusedWithoutSideEffects(fresh, target.userId, before);
    expect(fromMail.status).toBe(409);
    expect(fromMail.body.error.code).toBe('SIGN_IN_REQUIRED');
    expect(fromMail.body.error.message).toContain(`${target.email[0]}***@example.test`);
    expect(fromMail.body.error.message).not.toContain(target.email);
    const [still] = await db().execute(`select status from member where id = ?`, [memberId]);
    expect(still.status).toBe('INVITED');
    expect(org.orgId).toBeDefined();
  });

  it('SCIM PUT with the victim address: the old token is refused', async () => {
    const target = await victim();
    const before = await victimState(target.userId);
    const { client, memberId, token } = await attackerWithInvitation();
    const put = await client.put(`/Users/${memberId}`, newUser(target.email));
    expect(put.status).toBe(200);
    expect(put.body.emails[0].value).toBe(target.email);
    const res = await refusedWithoutSideEffects(token, target.userId, before);
    expect(res.body.error.code).toBe('INVITATION_INVALID');
  });

  it('SCIM PATCH of userName alone keeps the login address and the invitation', async () => {
    const { client, memberId, mailbox, token } = await attackerWithInvitation((mailbox) => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: mailbox,
      active: true,
    }));
    const patched = await client.patch(`/Users/${memberId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'userName', value: `renamed-${unique()}@corp.example` }],
    });
    expect(patched.status).toBe(200);
    const [member] = await db().execute(`select email from member where id = ?`, [memberId]);
    expect(member.email).toBe(mailbox);
    expect((await post('/auth/invitation', { token })).body.status).toBe('VALID');
  });

  it('SCIM PATCH removing the emails so that userName becomes the login address: the old token is refused', async () => {
    const target = await victim();
    const before = await victimState(target.userId);
    const { client, memberId, token } = await attackerWithInvitation();
    const patched = await client.patch(`/Users/${memberId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'remove', path: 'emails' },
        { op: 'replace', path: 'userName', value: target.email },
      ],
    });
    expect(patched.status).toBe(200);
    const [member] = await db().execute(`select email from member where id = ?`, [memberId]);
    expect(member.email).toBe(target.email);
    const res = await refusedWithoutSideEffects(token, target.userId, before);
    expect(res.body.error.code).toBe('INVITATION_INVALID');
  });

  it('a changed address without an account: no account is pre-created for it', async () => {
    const future = `future-${unique()}@corp.example`;
    const { client, memberId, token } = await attackerWithInvitation();
    const patched = await client.patch(`/Users/${memberId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'emails[type eq "work"].value', value: future }],
    });
    expect(patched.status).toBe(200);
    const res = await post('/auth/invitation/accept', { token });
    expect(res.status).toBe(404);
    expect(cookieOf(res)).toBeUndefined();
    const users = await db().execute(`select id from app_user where lower(email) = lower(?)`, [future]);
    expect(users).toEqual([]);
  });

  it('GraphQL invitationAccept: the account of the new address cannot use the token mailed to the old one', async () => {
    const target = await victim();
    const victimToken = await tokenFor(t.services, target.email);
    const { client, memberId, token } = await attackerWithInvitation();
    const put = await client.put(`/Users/${memberId}`, newUser(target.email));
    expect(put.status).toBe(200);
    const res = await gql(
      t.app,
      victimToken,
      `mutation($input: InvitationAcceptInput!) { invitationAccept(input: $input) { member { id status } userErrors { code } } }`,
      { input: { token } },
    );
    const payload = res.body.data?.invitationAccept;
    expect([...codes(res), ...(payload?.userErrors ?? []).map((e: { code: string }) => e.code)]).toContain(
      'INVALID_TOKEN',
    );
    const [member] = await db().execute(`select status, user_id from member where id = ?`, [memberId]);
    expect(member).toEqual({ status: 'INVITED', user_id: null });
  });

  it('an address change that also deactivates: the token is void and no invitation goes out', async () => {
    const { client, memberId, token } = await attackerWithInvitation();
    const moved = `moved-${unique()}@corp.example`;
    const put = await client.put(`/Users/${memberId}`, { ...newUser(moved), active: false });
    expect(put.status).toBe(200);
    expect(put.body.active).toBe(false);
    const [member] = await db().execute(`select status, invitation_token_hash from member where id = ?`, [memberId]);
    expect(member).toEqual({ status: 'REVOKED', invitation_token_hash: null });
    const [{ mails }] = await db().execute(
      `select count(*)::int as mails from outbox_message where member_id = ? and recipient = ?`,
      [memberId, moved],
    );
    expect(mails).toBe(0);
    expect((await post('/auth/invitation/accept', { token })).body.error.code).toBe('INVITATION_INVALID');
  });

  it('an address change of an accepted member voids its token and mails nothing', async () => {
    const { org, client, mailbox, memberId, token } = await attackerWithInvitation();
    const accepted = await post('/auth/invitation/accept', { token });
    expect(accepted.status).toBe(200);
    const renamed = `renamed-${unique()}@evil.example`;
    const patched = await client.patch(`/Users/${memberId}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'replace', path: 'emails', value: [{ value: renamed, primary: true }] }],
    });
    expect(patched.status).toBe(200);
    const [member] = await db().execute(
      `select status, invitation_token_hash, invitation_email, invitation_expires_at from member where id = ?`,
      [memberId],
    );
    expect(member).toEqual({
      status: 'ACCEPTED',
      invitation_token_hash: null,
      invitation_email: null,
      invitation_expires_at: null,
    });
    const [{ mails }] = await db().execute(
      `select count(*)::int as mails from outbox_message where member_id = ? and recipient = ?`,
      [memberId, renamed],
    );
    expect(mails).toBe(0);
    expect(mailbox).toBeDefined();
    expect(org).toBeDefined();
  });
});

describe(`an invitation to an address that already has an account (${engineName()})`, () => {
  const INVITE = `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { results { member { id } } } }`;

  async function invited(email: string) {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    const res = await ok(t.app, ownerToken, INVITE, { input: { organizationId: orgId, emails: [email] } });
    const memberId: string = res.membersInvite.results[0].member.id;
    return { orgId, memberId, token: await mailedToken(email) };
  }

  async function signedInAs(email: string): Promise<string> {
    const res = await post('/auth/token', { token: await tokenFor(t.services, email) });
    expect(res.status).toBe(200);
    return cookieOf(res)!;
  }

  const memberRow = async (memberId: string) =>
    (await db().execute(`select status, user_id from member where id = ?`, [memberId]))[0];

  it('asks for a sign-in first, then accepts with the signed-in account and keeps its session', async () => {
    const email = `known-${unique()}@example.test`;
    const account = await t.services.tokens.userForEmail(email);
    const { memberId, token } = await invited(email);

    const preview = await post('/auth/invitation', { token });
    expect(preview.body).toMatchObject({ status: 'VALID', email, accountExists: true, signedInAs: null });
    const refused = await post('/auth/invitation/accept', { token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SIGN_IN_REQUIRED');
    expect(cookieOf(refused)).toBeUndefined();
    expect(await memberRow(memberId)).toEqual({ status: 'INVITED', user_id: null });

    const cookie = await signedInAs(email.toUpperCase());
    const [{ sessions: before }] = await db().execute(
      `select count(*)::int as sessions from session where user_id = ?`,
      [account.id],
    );
    expect((await post('/auth/invitation', { token }, cookie)).body.signedInAs).toBe(email);
    const accepted = await post('/auth/invitation/accept', { token }, cookie);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ memberId, status: 'ACCEPTED' });
    expect(cookieOf(accepted)).toBeUndefined(); // the session it came with stays the session
    expect(await viewerEmail(cookie)).toBe(email);
    expect(await memberRow(memberId)).toEqual({ status: 'ACCEPTED', user_id: account.id });
    const [{ sessions: after }] = await db().execute(
      `select count(*)::int as sessions from session where user_id = ?`,
      [account.id],
    );
    expect(after).toBe(before);
  });

  it('refuses another signed-in account (EMAIL_MISMATCH) and changes nothing', async () => {
    const email = `known-${unique()}@example.test`;
    await t.services.tokens.userForEmail(email);
    const { memberId, token } = await invited(email);
    const other = `other-${unique()}@example.test`;
    const cookie = await signedInAs(other);
    expect((await post('/auth/invitation', { token }, cookie)).body).toMatchObject({ signedInAs: other, email });
    const res = await post('/auth/invitation/accept', { token }, cookie);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('EMAIL_MISMATCH');
    expect(cookieOf(res)).toBeUndefined();
    expect(await memberRow(memberId)).toEqual({ status: 'INVITED', user_id: null });
    expect(await viewerEmail(cookie)).toBe(other);
  });

  it('a new address while someone else is signed in: refused, the session stays, no account is created', async () => {
    const email = `new-${unique()}@example.test`;
    const { memberId, token } = await invited(email);
    expect((await post('/auth/invitation', { token })).body.accountExists).toBe(false);
    const other = `other-${unique()}@example.test`;
    const cookie = await signedInAs(other);
    const res = await post('/auth/invitation/accept', { token }, cookie);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('EMAIL_MISMATCH');
    expect(cookieOf(res)).toBeUndefined();
    expect(await memberRow(memberId)).toEqual({ status: 'INVITED', user_id: null });
    expect(await db().execute(`select id from app_user where lower(email) = lower(?)`, [email])).toEqual([]);
    expect(await viewerEmail(cookie)).toBe(other);

    // Signed out, the same link creates the account and signs it in.
    const fresh = await post('/auth/invitation/accept', { token });
    expect(fresh.status).toBe(200);
    expect(await viewerEmail(cookieOf(fresh)!)).toBe(email);
  });
});

describe(`the sign-in link page and a replaced session (${engineName()})`, () => {
  async function linkFor(email: string): Promise<string> {
    const before = smtp.to(email).length;
    expect((await post('/auth/email-link', { email })).status).toBe(202);
    await t.services.signIn.emailLinksSettled();
    await t.dispatcher.drainOnce();
    await smtp.waitFor(() => smtp.to(email).length > before);
    const link = /(http:\/\/orgd\.test\/sign-in\/link\?token=\S+)/.exec(smtp.to(email).at(-1)!.text)?.[1];
    return new URL(link!).searchParams.get('token')!;
  }

  it('previews the account a link signs into (masked) without using it up', async () => {
    const email = `bob-${unique()}@corp.example`;
    await t.services.tokens.userForEmail(email);
    const token = await linkFor(email);
    const preview = await post('/auth/email-link/preview', { token });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ email: 'b***@corp.example', signedInAs: null, sameAccount: false });
    expect((await post('/auth/email-link/preview', { token: 'sil_nothing' })).body.error.code).toBe('INVALID_LINK');
    const verified = await post('/auth/email-link/verify', { token });
    expect(verified.status).toBe(200);
  });

  it('a sign-in that replaces a session revokes the replaced one', async () => {
    const a = `a-${unique()}@example.test`;
    const b = `b-${unique()}@example.test`;
    await t.services.tokens.userForEmail(b);
    const signedInA = await post('/auth/token', { token: await tokenFor(t.services, a) });
    const cookieA = cookieOf(signedInA)!;
    const token = await linkFor(b);
    expect((await post('/auth/email-link/preview', { token }, cookieA)).body).toMatchObject({
      signedInAs: a,
      sameAccount: false,
    });

    const verified = await post('/auth/email-link/verify', { token }, cookieA);
    expect(verified.status).toBe(200);
    const cookieB = cookieOf(verified)!;
    expect(await viewerEmail(cookieB)).toBe(b);
    expect(await viewerEmail(cookieA)).toBeNull();
    const [row] = await db().execute(
      `select s.revoked_at from session s join app_user u on u.id = s.user_id where u.email = ?`,
      [a],
    );
    expect(row.revoked_at).not.toBeNull();
  });

  it('pasting an access token over a session revokes the replaced one, with the tokens made in it', async () => {
    const a = `a-${unique()}@example.test`;
    const b = `b-${unique()}@example.test`;
    const cookieA = cookieOf(await post('/auth/token', { token: await tokenFor(t.services, a) }))!;
    const made = await request(t.app)
      .post('/graphql')
      .set('cookie', cookieA)
      .send({ query: 'mutation { accessTokenCreate(input: { name: "child" }) { token } }' });
    const childOfA = made.body.data.accessTokenCreate.token as string;
    expect((await gql(t.app, childOfA, '{ viewer { user { email } } }')).body).toMatchObject({
      data: { viewer: { user: { email: a } } },
    });

    const signedInB = await post('/auth/token', { token: await tokenFor(t.services, b) }, cookieA);
    expect(signedInB.status).toBe(200);
    expect(await viewerEmail(cookieOf(signedInB)!)).toBe(b);
    expect(await viewerEmail(cookieA)).toBeNull();
    expect(codes(await gql(t.app, childOfA, '{ viewer { user { email } } }'))).toEqual(['UNAUTHENTICATED']);
  });
});
