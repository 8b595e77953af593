import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { makeOrganization, unique } from '../helpers/factories';

let t: TestApp;
beforeAll(async () => {
  // Behind a proxy on loopback: X-Forwarded-For names the client, so each test speaks from addresses of its own.
  t = await createTestApp({
    SIGN_IN_RATE_LIMIT: '5',
    SIGN_IN_TARGET_RATE_LIMIT: '3',
    RATE_LIMIT_WINDOW_SECONDS: '60',
    TRUST_PROXY: 'loopback',
  });
});
afterAll(async () => {
  await t.services.signIn.emailLinksSettled();
  await t.close();
});

const post = (path: string, body: object, from: string) =>
  request(t.app).post(path).set('content-type', 'application/json').set('x-forwarded-for', from).send(body);
const linkFor = (email: string, from: string) => post('/auth/email-link', { email }, from);
const email = () => `limits-${unique()}@example.test`;
const badSecret = () => `orgd_${unique()}${unique()}${unique()}`;

function expectLimited(res: request.Response): void {
  expect([res.status, res.body.error?.code]).toEqual([429, 'RATE_LIMITED']);
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

describe(`sign-in budgets (${engineName()})`, () => {
  it('counts an IPv6 client by its /64 network: one network shares a budget, the next has its own', async () => {
    for (let i = 1; i <= 5; i++) expect((await linkFor(email(), `2001:db8:a:b::${i}`)).status).toBe(202);
    expectLimited(await linkFor(email(), '2001:db8:a:b:ffff:ffff:ffff:ffff'));
    expect((await linkFor(email(), '2001:db8:a:c::1')).status).toBe(202);
  });

  it('limits link requests per e-mail address, whatever addresses ask, and not another e-mail', async () => {
    const victim = email();
    for (let i = 1; i <= 3; i++) expect((await linkFor(victim, `203.0.113.${i}`)).status).toBe(202);
    expectLimited(await linkFor(victim, '203.0.113.4'));
    expectLimited(await linkFor(`  ${victim.toUpperCase()} `, '203.0.113.5')); // one inbox, however spelled
    expect((await linkFor(email(), '203.0.113.6')).status).toBe(202);
  });

  it('does not count GET /auth/oidc/start: a cross-site page cannot lock an office out of signing in', async () => {
    const { ownerToken } = await makeOrganization(t.services);
    const office = '198.51.100.50';
    for (let i = 0; i < 60; i++) {
      const res = await request(t.app).get('/auth/oidc/start').set('x-forwarded-for', office);
      expect([i, res.status]).toEqual([i, 302]);
    }
    // Nor a callback without the flow cookie /auth/oidc/start sets (SameSite=Lax: no cross-site <img> brings it).
    for (let i = 0; i < 10; i++) {
      const res = await request(t.app).get('/auth/oidc/callback?state=x&code=y').set('x-forwarded-for', office);
      expect(res.headers.location).toMatch(/^\/sign-in\?error=/);
    }
    const res = await post('/auth/token', { token: ownerToken }, office);
    expect(res.status).toBe(200);
    expect((await linkFor(email(), office)).status).toBe(202);
  });

  it('counts failed OIDC callbacks that bring a flow cookie, and sends the address back once it spent its budget', async () => {
    const from = '198.51.100.51';
    const callback = () =>
      request(t.app)
        .get('/auth/oidc/callback?state=x&code=y')
        .set('cookie', 'orgd_oidc_flow=made.up')
        .set('x-forwarded-for', from);
    for (let i = 0; i < 5; i++) expect((await callback()).headers.location).not.toMatch(/RATE_LIMITED/);
    expect((await callback()).headers.location).toBe('/sign-in?error=RATE_LIMITED');
  });

  it('counts failed secrets per address, and answers them 429 once it is spent, but never a valid secret', async () => {
    const { ownerToken } = await makeOrganization(t.services);
    const nat = '198.51.100.60';
    for (let i = 0; i < 5; i++) expect((await post('/auth/token', { token: badSecret() }, nat)).status).toBe(401);
    expectLimited(await post('/auth/token', { token: badSecret() }, nat));
    expectLimited(await post('/auth/email-link/verify', { token: `sil_${unique()}` }, nat));
    expectLimited(await linkFor(email(), nat));
    // The credential is checked first: a colleague behind the same address signs in.
    const signedIn = await post('/auth/token', { token: ownerToken }, nat);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers['set-cookie']?.[0]).toMatch(/^orgd_session=/);
    // Successes spend nothing: other addresses sign in as often as they like.
    for (let i = 0; i < 8; i++)
      expect((await post('/auth/token', { token: ownerToken }, '198.51.100.61')).status).toBe(200);
  });

  it('counts one presented secret tried from many addresses in one budget', async () => {
    const secret = badSecret();
    for (let i = 1; i <= 3; i++)
      expect((await post('/auth/token', { token: secret }, `192.0.2.${i}`)).status).toBe(401);
    expectLimited(await post('/auth/token', { token: secret }, '192.0.2.4'));
    expect((await post('/auth/token', { token: badSecret() }, '192.0.2.5')).status).toBe(401);
  });
});
