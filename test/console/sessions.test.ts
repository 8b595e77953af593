import request from 'supertest';
import { type App, createApp } from '../../src/app';
import { type Config } from '../../src/config';
import { type TestApp, createTestApp } from '../helpers/app';
import { unique } from '../helpers/factories';
import { tokenFor } from '../graphql/gql';

const VIEWER = '{ viewer { user { id email } } }';

let t: TestApp;
const extraApps: App[] = [];

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  for (const extra of extraApps) await extra.stop();
  await t.close();
});

/** Another app over the same database with some configuration changed. */
async function appWith(overrides: Partial<Config>): Promise<App> {
  const app = await createApp({ ...t, config: { ...t.config, ...overrides } });
  extraApps.push(app);
  return app;
}

const sessionCookieOf = (res: request.Response): string | undefined =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('orgd_session='));

async function signIn(email = `s-${unique()}@example.test`) {
  const token = await tokenFor(t.services, email);
  const res = await request(t.app)
    .post('/auth/token')
    .set('content-type', 'application/json')
    .set('user-agent', 'TestBrowser/1.0')
    .send({ token });
  expect(res.status).toBe(200);
  const setCookie = sessionCookieOf(res)!;
  return { email, token, res, setCookie, cookie: setCookie.split(';')[0] };
}

const viewerWithCookie = (cookie: string, app = t.app) =>
  request(app).post('/graphql').set('content-type', 'application/json').set('cookie', cookie).send({ query: VIEWER });

const sessionRows = (where: string, params: unknown[]) =>
  t.orm.em.fork().getConnection().execute(`select * from session where ${where}`, params);

describe('GET /auth/methods', () => {
  it('lists the sign-in methods this server offers', async () => {
    const res = await request(t.app).get('/auth/methods');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ emailLink: true, accessToken: true, oidc: false });
  });
});

describe('POST /auth/token', () => {
  it('signs in with an access token: the account, and an HttpOnly SameSite=Lax session cookie that /graphql accepts', async () => {
    const { email, res, setCookie, cookie } = await signIn();
    expect(res.body).toEqual({ user: { id: expect.any(String), email } });
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; Max-Age=604800/);
    expect(setCookie).not.toMatch(/; Secure/); // PUBLIC_URL is http here
    const viewer = await viewerWithCookie(cookie);
    expect(viewer.status).toBe(200);
    expect(viewer.body.data.viewer.user).toEqual({ id: res.body.user.id, email });
  });

  it('stores only the hash of the cookie secret, with the method and the user agent', async () => {
    const { cookie, res } = await signIn();
    const secret = decodeURIComponent(cookie.split('=')[1]);
    const rows = await sessionRows('user_id = ?', [res.body.user.id]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0]).toMatchObject({ method: 'access_token', user_agent: 'TestBrowser/1.0', revoked_at: null });
    const events = await t.orm.em
      .fork()
      .getConnection()
      .execute(`select type, details from account_event where user_id = ? and type = 'account.signed_in'`, [
        res.body.user.id,
      ]);
    expect(events).toEqual([{ type: 'account.signed_in', details: { method: 'access_token', sessionId: rows[0].id } }]);
  });

  it('refuses an unknown token with 401 INVALID_TOKEN and no cookie', async () => {
    const res = await request(t.app)
      .post('/auth/token')
      .set('content-type', 'application/json')
      .send({ token: 'orgd_not-a-real-token' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'INVALID_TOKEN', message: expect.any(String) } });
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  it('refuses a revoked token', async () => {
    const email = `r-${unique()}@example.test`;
    const { token, apiKey } = await t.services.tokens.create({ kind: 'CLI' }, { email });
    await t.services.tokens.revoke({ kind: 'CLI' }, apiKey.id);
    const res = await request(t.app).post('/auth/token').set('content-type', 'application/json').send({ token });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_TOKEN');
  });

  it('answers bad input with 400 INVALID_INPUT, malformed JSON included', async () => {
    const missing = await request(t.app).post('/auth/token').set('content-type', 'application/json').send({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('INVALID_INPUT');
    const malformed = await request(t.app)
      .post('/auth/token')
      .set('content-type', 'application/json')
      .send('{"token":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('INVALID_INPUT');
  });

  it('requires JSON (a cross-site form cannot send it) and refuses foreign origins', async () => {
    const { token } = await signIn();
    const form = await request(t.app)
      .post('/auth/token')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send(`token=${token}`);
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const foreign = await request(t.app)
      .post('/auth/token')
      .set('content-type', 'application/json')
      .set('origin', 'https://evil.example')
      .send({ token });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('FORBIDDEN_ORIGIN');
    expect(sessionCookieOf(foreign)).toBeUndefined();
    const own = await request(t.app)
      .post('/auth/token')
      .set('content-type', 'application/json')
      .set('origin', 'http://orgd.test')
      .send({ token });
    expect(own.status).toBe(200);
  });

  it('sets the cookie Secure, named __Host-orgd_session, when PUBLIC_URL is https', async () => {
    const secure = await appWith({ PUBLIC_URL: 'https://orgd.example' });
    const token = await tokenFor(t.services, `h-${unique()}@example.test`);
    const res = await request(secure.app).post('/auth/token').set('content-type', 'application/json').send({ token });
    expect(res.status).toBe(200);
    const secureCookie = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('__Host-'));
    expect(secureCookie).toMatch(/^__Host-orgd_session=.*; Secure/);
  });

  it('limits sign-in attempts per client address', async () => {
    const limited = await appWith({ SIGN_IN_RATE_LIMIT: 2 });
    const attempt = () =>
      request(limited.app).post('/auth/token').set('content-type', 'application/json').send({ token: 'orgd_guess' });
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    const third = await attempt();
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('RATE_LIMITED');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('the session cookie on /graphql', () => {
  it('keeps Apollo CSRF prevention: a simple GET carrying the cookie is refused', async () => {
    const { cookie } = await signIn();
    const res = await request(t.app).get('/graphql').query({ query: VIEWER }).set('cookie', cookie);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('"viewer"');
  });

  it('lets an Authorization header win over the cookie', async () => {
    const { cookie } = await signIn();
    const res = await request(t.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('cookie', cookie)
      .set('authorization', 'Bearer orgd_wrong')
      .send({ query: VIEWER });
    expect(res.status).toBe(401);
  });

  it('refuses an unknown cookie with UNAUTHENTICATED', async () => {
    const res = await viewerWithCookie('orgd_session=orgds_forged');
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('expires a session idle for more than 12 hours', async () => {
    const { cookie, res } = await signIn();
    await t.orm.em
      .fork()
      .getConnection()
      .execute(`update session set last_seen_at = now() - interval '12 hours 1 minute' where user_id = ?`, [
        res.body.user.id,
      ]);
    expect((await viewerWithCookie(cookie)).status).toBe(401);
  });

  it('expires a session 7 days after sign-in however active it is', async () => {
    const { cookie, res } = await signIn();
    await t.orm.em
      .fork()
      .getConnection()
      .execute(
        `update session set created_at = now() - interval '7 days 1 minute', last_seen_at = now() where user_id = ?`,
        [res.body.user.id],
      );
    expect((await viewerWithCookie(cookie)).status).toBe(401);
  });

  it('stamps last_seen_at at most once a minute', async () => {
    const { cookie, res } = await signIn();
    const userId = res.body.user.id;
    const db = t.orm.em.fork().getConnection();
    await db.execute(`update session set last_seen_at = now() - interval '30 seconds' where user_id = ?`, [userId]);
    const [before] = await sessionRows('user_id = ?', [userId]);
    expect((await viewerWithCookie(cookie)).status).toBe(200);
    const [unchanged] = await sessionRows('user_id = ?', [userId]);
    expect(new Date(unchanged.last_seen_at).getTime()).toBe(new Date(before.last_seen_at).getTime());
    await db.execute(`update session set last_seen_at = now() - interval '2 minutes' where user_id = ?`, [userId]);
    expect((await viewerWithCookie(cookie)).status).toBe(200);
    const [touched] = await sessionRows('user_id = ?', [userId]);
    expect(Date.now() - new Date(touched.last_seen_at).getTime()).toBeLessThan(30_000);
  });
});

describe('POST /auth/sign-out', () => {
  it('revokes the session row and clears the cookie', async () => {
    const { cookie, res } = await signIn();
    const out = await request(t.app)
      .post('/auth/sign-out')
      .set('content-type', 'application/json')
      .set('cookie', cookie)
      .send({});
    expect(out.status).toBe(204);
    expect(sessionCookieOf(out)).toMatch(/^orgd_session=;.*Expires=Thu, 01 Jan 1970/);
    const [row] = await sessionRows('user_id = ?', [res.body.user.id]);
    expect(row.revoked_at).not.toBeNull();
    // The old cookie no longer works, even if a client kept it.
    expect((await viewerWithCookie(cookie)).status).toBe(401);
  });

  it('is harmless without a session', async () => {
    const out = await request(t.app).post('/auth/sign-out').set('content-type', 'application/json').send({});
    expect(out.status).toBe(204);
  });

  it('cannot be triggered cross-site', async () => {
    const { cookie } = await signIn();
    const out = await request(t.app)
      .post('/auth/sign-out')
      .set('content-type', 'application/json')
      .set('origin', 'https://evil.example')
      .set('cookie', cookie)
      .send({});
    expect(out.status).toBe(403);
    expect((await viewerWithCookie(cookie)).status).toBe(200);
  });
});

describe('GraphQL Viewer.sessions and sessionRevoke', () => {
  const SESSIONS =
    '{ viewer { sessions { nodes { id createdAt lastSeenAt expiresAt userAgent method current revokedAt } } } }';
  const REVOKE =
    'mutation($input: SessionRevokeInput!) { sessionRevoke(input: $input) { session { id revokedAt current } userErrors { code field } } }';
  const gqlWithCookie = (cookie: string, query: string, variables?: Record<string, unknown>) =>
    request(t.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('cookie', cookie)
      .send({ query, variables });

  it("lists the viewer's live sessions, marks the current one, and revokes another browser's", async () => {
    const email = `multi-${unique()}@example.test`;
    const laptop = await signIn(email);
    const phone = await signIn(email);
    const other = await signIn(); // someone else
    await t.services.sessions.revokeBySecret(decodeURIComponent((await signIn(email)).cookie.split('=')[1])); // signed out: not listed

    const listed = await gqlWithCookie(laptop.cookie, SESSIONS);
    expect(listed.status).toBe(200);
    const sessions = listed.body.data.viewer.sessions.nodes;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s: any) => s.current)).toHaveLength(1);
    const current = sessions.find((s: any) => s.current);
    const phoneSession = sessions.find((s: any) => !s.current);
    expect(current).toMatchObject({ method: 'ACCESS_TOKEN', userAgent: 'TestBrowser/1.0', revokedAt: null });
    const expiresIn = new Date(current.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(11.9 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(12 * 3600_000);

    const foreign = (await gqlWithCookie(other.cookie, SESSIONS)).body.data.viewer.sessions.nodes[0];
    const refused = await gqlWithCookie(laptop.cookie, REVOKE, { input: { id: foreign.id } });
    // Someone else's session is "not found", as for every other id the viewer may not see.
    expect(refused.body.errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
    expect((await viewerWithCookie(other.cookie)).status).toBe(200);

    const revoked = await gqlWithCookie(laptop.cookie, REVOKE, { input: { id: phoneSession.id } });
    expect(revoked.body.data.sessionRevoke).toEqual({
      session: { id: phoneSession.id, revokedAt: expect.any(String), current: false },
      userErrors: [],
    });
    expect((await viewerWithCookie(phone.cookie)).status).toBe(401);
    expect((await viewerWithCookie(laptop.cookie)).status).toBe(200);
    expect(
      (await gqlWithCookie(laptop.cookie, SESSIONS)).body.data.viewer.sessions.nodes.map((s: any) => s.id),
    ).toEqual([current.id]);
  });

  it('answers a bearer-token caller with its sessions, none current', async () => {
    const { token } = await signIn();
    const res = await request(t.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${token}`)
      .send({ query: SESSIONS });
    expect(res.body.data.viewer.sessions.nodes).toHaveLength(1);
    expect(res.body.data.viewer.sessions.nodes[0].current).toBe(false);
  });
});
