import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { SmtpReceiver } from '../helpers/smtp';

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

const post = (path: string, body: unknown) =>
  request(t.app)
    .post(path)
    .set('content-type', 'application/json')
    .send(body as object);
const cookieOf = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('orgd_session='))
    ?.split(';')[0];
const db = () => t.orm.em.fork().getConnection();

/** Asks for a link and returns the token from the e-mail the SMTP sink received. */
async function linkFor(email: string): Promise<string> {
  const before = smtp.to(email).length;
  const res = await post('/auth/email-link', { email });
  expect(res.status).toBe(202);
  await t.services.signIn.emailLinksSettled();
  await t.dispatcher.drainOnce();
  await smtp.waitFor(() => smtp.to(email).length > before);
  const link = /(http:\/\/orgd\.test\/sign-in\/link\?token=\S+)/.exec(smtp.to(email).at(-1)!.text)?.[1];
  expect(link).toBeDefined();
  return new URL(link!).searchParams.get('token')!;
}

describe(`e-mail sign-in link (${engineName()})`, () => {
  it('mails a one-time link to an existing account; the link signs in once', async () => {
    const email = `link-${unique()}@example.test`;
    const account = await t.services.tokens.userForEmail(email);
    const token = await linkFor(email);
    const [row] = await db().execute(`select hash, expires_at, used_at from sign_in_link where user_id = ?`, [
      account.id,
    ]);
    expect(row.hash).not.toBe(token); // stored hashed
    const ttl = new Date(row.expires_at).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);

    const verified = await post('/auth/email-link/verify', { token });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ user: { id: account.id, email } });
    const cookie = cookieOf(verified)!;
    const viewer = await request(t.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('cookie', cookie)
      .send({ query: '{ viewer { user { email } } }' });
    expect(viewer.body.data.viewer.user.email).toBe(email);
    const [session] = await db().execute(`select method from session where user_id = ?`, [account.id]);
    expect(session.method).toBe('email_link');
    const [event] = await db().execute(
      `select details from account_event where user_id = ? and type = 'account.signed_in'`,
      [account.id],
    );
    expect(event.details.method).toBe('email_link');

    const again = await post('/auth/email-link/verify', { token });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('INVALID_LINK');
    expect(cookieOf(again)).toBeUndefined();
  });

  it('answers 202 for an unknown address and sends nothing (no account enumeration)', async () => {
    const email = `nobody-${unique()}@example.test`;
    const res = await post('/auth/email-link', { email });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({});
    await t.services.signIn.emailLinksSettled();
    await t.dispatcher.drainOnce();
    const [{ count }] = await db().execute(`select count(*)::int as count from outbox_message where recipient = ?`, [
      email,
    ]);
    expect(count).toBe(0);
    expect(smtp.to(email)).toHaveLength(0);
  });

  it('refuses an expired link', async () => {
    const email = `late-${unique()}@example.test`;
    const account = await t.services.tokens.userForEmail(email);
    const token = await linkFor(email);
    await db().execute(`update sign_in_link set expires_at = now() - interval '1 second' where user_id = ?`, [
      account.id,
    ]);
    const res = await post('/auth/email-link/verify', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_LINK');
  });

  it('lets exactly one of two simultaneous uses of a link sign in', async () => {
    const email = `race-${unique()}@example.test`;
    await t.services.tokens.userForEmail(email);
    const token = await linkFor(email);
    const results = await Promise.all([
      post('/auth/email-link/verify', { token }),
      post('/auth/email-link/verify', { token }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('caps the links pending for one account (a stranger cannot flood a mailbox), still answering 202', async () => {
    const email = `flood-${unique()}@example.test`;
    const account = await t.services.tokens.userForEmail(email);
    for (let i = 0; i < 5; i++) expect((await post('/auth/email-link', { email })).status).toBe(202);
    await t.services.signIn.emailLinksSettled();
    const [{ count }] = await db().execute(`select count(*)::int as count from sign_in_link where user_id = ?`, [
      account.id,
    ]);
    expect(count).toBe(3);
  });

  it('answers bad input with 400 and unknown tokens with INVALID_LINK', async () => {
    expect((await post('/auth/email-link', { email: 'not an address' })).status).toBe(400);
    expect((await post('/auth/email-link', {})).body.error.code).toBe('INVALID_INPUT');
    const res = await post('/auth/email-link/verify', { token: 'sil_nothing' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_LINK');
  });
});
