import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type RealOidcProvider, startOidcProvider } from '../helpers/oidc-provider';

const CLIENT = {
  clientId: 'orgd-console',
  clientSecret: 'a-client-secret-of-enough-length-0123456789',
  redirectUri: 'http://orgd.test/auth/oidc/callback',
};

let provider: RealOidcProvider;
let t: TestApp;

beforeAll(async () => {
  provider = await startOidcProvider(CLIENT);
  t = await createTestApp({
    OIDC_ISSUER: provider.url,
    OIDC_AUDIENCE: CLIENT.clientId,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
  });
});

afterAll(async () => {
  await t?.close();
  await provider?.close();
});

const cookie = (res: request.Response, name: string) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];

async function signInAs(login: string, returnTo = '/') {
  const start = await request(t.app).get('/auth/oidc/start').query({ returnTo });
  expect(start.status).toBe(302);
  const back = await provider.signIn(start.headers.location, login);
  expect(`${back.origin}${back.pathname}`).toBe(CLIENT.redirectUri);
  return request(t.app).get(`${back.pathname}${back.search}`).set('cookie', cookie(start, 'orgd_oidc_flow')!);
}

describe(`OIDC browser sign-in against oidc-provider (${engineName()})`, () => {
  it('signs in through the login and consent pages of a real provider (code + PKCE, client_secret_basic)', async () => {
    const email = `real-${unique()}@example.test`;
    const done = await signInAs(email, '/organizations');
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe('/organizations');
    const viewer = await request(t.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('cookie', cookie(done, 'orgd_session')!)
      .send({
        query:
          '{ viewer { user { email name } sessions { nodes { method current createdBy { kind parentId label } } } } }',
      });
    expect(viewer.body.data.viewer.user).toEqual({ email, name: `Name of ${email}` });
    expect(viewer.body.data.viewer.sessions.nodes).toEqual([
      { method: 'OIDC', current: true, createdBy: { kind: 'OIDC', parentId: null, label: 'Single sign-on' } },
    ]);
  });

  it('refuses an address the provider does not vouch for (email_verified: false)', async () => {
    const done = await signInAs(`unverified-${unique()}@example.test`);
    expect(done.headers.location).toBe('/sign-in?error=OIDC_FORBIDDEN');
    expect(cookie(done, 'orgd_session')).toBeUndefined();
  });
});
