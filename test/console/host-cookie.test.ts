import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type OidcCodeIssuer, startOidcCodeIssuer } from '../helpers/oidc-code-issuer';
import { tokenFor } from '../graphql/gql';

const PUBLIC_URL = 'https://orgd.example';
const CLIENT = {
  clientId: 'orgd-console',
  clientSecret: 'host-secret',
  redirectUri: `${PUBLIC_URL}/auth/oidc/callback`,
};
const VIEWER = '{ viewer { user { email } } }';

let issuer: OidcCodeIssuer;
let t: TestApp;

beforeAll(async () => {
  issuer = await startOidcCodeIssuer(CLIENT);
  t = await createTestApp({
    PUBLIC_URL,
    OIDC_ISSUER: issuer.url,
    OIDC_AUDIENCE: CLIENT.clientId,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
  });
});

afterAll(async () => {
  await t.close();
  await issuer.close();
});

const setCookies = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
const setCookie = (res: request.Response, name: string) => setCookies(res).find((c) => c.startsWith(`${name}=`));
const pair = (header: string) => header.split(';')[0];

/** A `__Host-` cookie as browsers require it: Secure, Path=/, no Domain (and ours are HttpOnly, SameSite=Lax). */
function expectHostCookie(header: string | undefined): void {
  expect(header).toBeDefined();
  const attributes = header!.split(';').map((a) => a.trim().toLowerCase());
  expect(attributes).toEqual(expect.arrayContaining(['secure', 'path=/', 'httponly', 'samesite=lax']));
  expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
}

const viewer = (cookie: string) =>
  request(t.app).post('/graphql').set('content-type', 'application/json').set('cookie', cookie).send({ query: VIEWER });

describe(`cookies on an https PUBLIC_URL (${engineName()})`, () => {
  it('names the session cookie __Host-orgd_session and reads only that name', async () => {
    const email = `host-${unique()}@example.test`;
    const res = await request(t.app)
      .post('/auth/token')
      .set('content-type', 'application/json')
      .send({ token: await tokenFor(t.services, email) });
    expect(res.status).toBe(200);
    expect(setCookie(res, 'orgd_session')).toBeUndefined();
    const header = setCookie(res, '__Host-orgd_session');
    expectHostCookie(header);
    const secret = pair(header!).split('=')[1];

    const me = await viewer(`__Host-orgd_session=${secret}`);
    expect(me.status).toBe(200);
    expect(me.body.data.viewer.user.email).toBe(email);
    // The bare name could have been planted by a sibling subdomain or over plain http: it does not count.
    expect((await viewer(`orgd_session=${secret}`)).status).toBe(401);

    const out = await request(t.app)
      .post('/auth/sign-out')
      .set('content-type', 'application/json')
      .set('cookie', `__Host-orgd_session=${secret}`)
      .send({});
    expect(out.status).toBe(204);
    expect(setCookie(out, '__Host-orgd_session')).toMatch(/Expires=Thu, 01 Jan 1970/);
    expectHostCookie(setCookie(out, '__Host-orgd_session'));
    expect((await viewer(`__Host-orgd_session=${secret}`)).status).toBe(401);
  });

  it('names the OIDC flow cookie __Host-orgd_oidc_flow (Path=/) and completes the sign-in with it', async () => {
    const email = `host-oidc-${unique()}@example.test`;
    issuer.user = { sub: `sub-${unique()}`, email, email_verified: true };
    const start = await request(t.app).get('/auth/oidc/start').query({ returnTo: '/organizations' });
    expect(start.status).toBe(302);
    expect(setCookie(start, 'orgd_oidc_flow')).toBeUndefined();
    const flow = setCookie(start, '__Host-orgd_oidc_flow');
    expectHostCookie(flow);

    const atIssuer = await fetch(start.headers.location, { redirect: 'manual' });
    const callback = new URL(atIssuer.headers.get('location')!);
    const path = `${callback.pathname}${callback.search}`;
    // The bare name is not the flow cookie on https.
    const bare = await request(t.app)
      .get(path)
      .set('cookie', `orgd_oidc_flow=${pair(flow!).split('=')[1]}`);
    expect(bare.headers.location).toBe('/sign-in?error=OIDC_STATE_MISMATCH');

    const again = await request(t.app).get('/auth/oidc/start').query({ returnTo: '/organizations' });
    const againFlow = pair(setCookie(again, '__Host-orgd_oidc_flow')!);
    const second = await fetch(again.headers.location, { redirect: 'manual' });
    const back = new URL(second.headers.get('location')!);
    const done = await request(t.app).get(`${back.pathname}${back.search}`).set('cookie', againFlow);
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe('/organizations');
    expectHostCookie(setCookie(done, '__Host-orgd_session'));
    expect(setCookie(done, '__Host-orgd_oidc_flow')).toMatch(/Expires=Thu, 01 Jan 1970/);
  });
});
