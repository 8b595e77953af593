import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type OidcCodeIssuer, type OidcUser, startOidcCodeIssuer } from '../helpers/oidc-code-issuer';

const CLIENT = {
  clientId: 'orgd-console',
  clientSecret: 's3cret:with/specials',
  redirectUri: 'http://orgd.test/auth/oidc/callback',
};

let issuer: OidcCodeIssuer;
let t: TestApp;
let plain: TestApp;

beforeAll(async () => {
  issuer = await startOidcCodeIssuer(CLIENT);
  t = await createTestApp({
    OIDC_ISSUER: issuer.url,
    OIDC_AUDIENCE: CLIENT.clientId,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
  });
  plain = await createTestApp();
});

afterAll(async () => {
  await t.close();
  await plain.close();
  await issuer.close();
});

const cookiesOf = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
const cookie = (res: request.Response, name: string) =>
  cookiesOf(res)
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];

/** start -> the issuer's /authorize (a real HTTP request) -> the callback URL it redirects the browser to. */
async function throughIssuer(returnTo = '/organizations') {
  const start = await request(t.app).get('/auth/oidc/start').query({ returnTo });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.location);
  expect(authorize.origin).toBe(issuer.url);
  const flow = cookie(start, 'orgd_oidc_flow')!;
  expect(cookiesOf(start).find((c) => c.startsWith('orgd_oidc_flow='))).toMatch(
    /HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/,
  );
  const atIssuer = await fetch(authorize, { redirect: 'manual' });
  expect(atIssuer.status).toBe(302);
  const callback = new URL(atIssuer.headers.get('location')!);
  expect(`${callback.origin}${callback.pathname}`).toBe(CLIENT.redirectUri);
  return { authorize, flow, callbackPath: `${callback.pathname}${callback.search}` };
}

describe(`OIDC browser sign-in: authorization code + PKCE (${engineName()})`, () => {
  it('offers OIDC in /auth/methods only when the client is configured', async () => {
    expect((await request(t.app).get('/auth/methods')).body).toEqual({
      emailLink: true,
      accessToken: true,
      oidc: true,
    });
    expect((await request(plain.app).get('/auth/methods')).body.oidc).toBe(false);
    const start = await request(plain.app).get('/auth/oidc/start');
    expect(start.status).toBe(302);
    expect(start.headers.location).toBe('/sign-in?error=OIDC_NOT_CONFIGURED');
  });

  it('signs in through the issuer and returns to the page asked for, with a session cookie', async () => {
    const email = `oidc-${unique()}@example.test`;
    issuer.user = { sub: `sub-${unique()}`, email, email_verified: true, name: 'Olive' };
    const { authorize, flow, callbackPath } = await throughIssuer('/organizations?tab=members');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT.clientId,
      redirect_uri: CLIENT.redirectUri,
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();

    const done = await request(t.app).get(callbackPath).set('cookie', flow);
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe('/organizations?tab=members');
    const session = cookie(done, 'orgd_session')!;
    expect(session).toBeDefined();
    const viewer = await request(t.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('cookie', session)
      .send({
        query:
          '{ viewer { user { email name } sessions { nodes { method current createdBy { kind parentId label } } } } }',
      });
    expect(viewer.body.data.viewer.user).toEqual({ email, name: 'Olive' });
    expect(viewer.body.data.viewer.sessions.nodes).toEqual([
      { method: 'OIDC', current: true, createdBy: { kind: 'OIDC', parentId: null, label: 'Single sign-on' } },
    ]);
    const [event] = await t.orm.em
      .fork()
      .getConnection()
      .execute(
        `select e.details from account_event e join app_user u on u.id = e.user_id where u.email = ? and e.type = 'account.signed_in'`,
        [email],
      );
    expect(event.details.method).toBe('oidc');
    expect(issuer.refusals).toEqual([]);
  });

  it('refuses a callback without the browser that started it (no flow cookie, or another flow)', async () => {
    const { callbackPath } = await throughIssuer();
    const bare = await request(t.app).get(callbackPath);
    expect(bare.headers.location).toBe('/sign-in?error=OIDC_STATE_MISMATCH');
    expect(cookie(bare, 'orgd_session')).toBeUndefined();
    const other = await throughIssuer();
    const crossed = await request(t.app).get(callbackPath).set('cookie', other.flow);
    expect(crossed.headers.location).toBe('/sign-in?error=OIDC_STATE_MISMATCH');
  });

  it('never uses a code twice', async () => {
    issuer.user = { sub: `sub-${unique()}`, email: `twice-${unique()}@example.test`, email_verified: true };
    const { flow, callbackPath } = await throughIssuer();
    expect((await request(t.app).get(callbackPath).set('cookie', flow)).headers.location).toBe('/organizations');
    const replay = await request(t.app).get(callbackPath).set('cookie', flow);
    expect(replay.headers.location).toBe('/sign-in?error=OIDC_FAILED');
    expect(cookie(replay, 'orgd_session')).toBeUndefined();
    expect(issuer.refusals).toContain('code reused');
  });

  it('refuses an ID token issued to another client (azp), without a session', async () => {
    const email = `azp-${unique()}@example.test`;
    issuer.user = { sub: `sub-${unique()}`, email, email_verified: true, azp: 'another-client' } as OidcUser;
    const { flow, callbackPath } = await throughIssuer();
    const done = await request(t.app).get(callbackPath).set('cookie', flow);
    expect(done.headers.location).toBe('/sign-in?error=OIDC_FAILED');
    expect(cookie(done, 'orgd_session')).toBeUndefined();
  });

  it('comes back with OIDC_DENIED when the person cancels at the provider', async () => {
    issuer.deny = true;
    try {
      const { flow, callbackPath } = await throughIssuer();
      const res = await request(t.app).get(callbackPath).set('cookie', flow);
      expect(res.headers.location).toBe('/sign-in?error=OIDC_DENIED');
    } finally {
      issuer.deny = false;
    }
  });

  it('applies the identity rules: an unverified e-mail signs nobody in', async () => {
    const email = `unverified-${unique()}@example.test`;
    issuer.user = { sub: `sub-${unique()}`, email, email_verified: false };
    const { flow, callbackPath } = await throughIssuer();
    const res = await request(t.app).get(callbackPath).set('cookie', flow);
    expect(res.headers.location).toBe('/sign-in?error=OIDC_FORBIDDEN');
    expect(cookie(res, 'orgd_session')).toBeUndefined();
    const [{ count }] = await t.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as count from app_user where email = ?`, [email]);
    expect(count).toBe(0);
  });

  it('only returns to paths of this site', async () => {
    for (const target of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      issuer.user = { sub: `sub-${unique()}`, email: `ret-${unique()}@example.test`, email_verified: true };
      const { flow, callbackPath } = await throughIssuer(target);
      expect((await request(t.app).get(callbackPath).set('cookie', flow)).headers.location).toBe('/');
    }
  });
});
