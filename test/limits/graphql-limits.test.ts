import { type Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { codes, gql, tokenFor } from '../graphql/gql';
import { makeOrganization, unique } from '../helpers/factories';

const VIEWER = '{ viewer { user { email } } }';

let t: TestApp;
/** The same services and limiters behind a proxy on loopback (TRUST_PROXY=loopback): X-Forwarded-For names the client. */
let proxied: Express;
let stopProxied: () => Promise<void>;
beforeAll(async () => {
  t = await createTestApp({ GRAPHQL_RATE_LIMIT: '4', AUTH_FAILURE_RATE_LIMIT: '5', RATE_LIMIT_WINDOW_SECONDS: '60' });
  const app = await createApp({ ...t, config: { ...t.config, TRUST_PROXY: ['loopback'] } });
  proxied = app.app;
  stopProxied = app.stop;
});
afterAll(async () => {
  await stopProxied();
  await t.close();
});

/** POST /graphql with a raw Authorization header and, optionally, an X-Forwarded-For. */
function send(app: Express, authorization: string, forwardedFor?: string) {
  const req = request(app).post('/graphql').set('content-type', 'application/json').set('authorization', authorization);
  if (forwardedFor) req.set('x-forwarded-for', forwardedFor);
  return req.send({ query: VIEWER });
}

const badToken = () => `Bearer orgd_${unique()}`;

describe(`GraphQL rate limit per account (${engineName()})`, () => {
  it('answers 429 RATE_LIMITED with Retry-After once an account spends its budget, per account', async () => {
    const a = await makeOrganization(t.services);
    const b = await makeOrganization(t.services);
    for (let i = 0; i < 4; i++) expect((await gql(t.app, a.ownerToken, VIEWER)).status).toBe(200);
    const limited = await gql(t.app, a.ownerToken, VIEWER);
    expect(limited.status).toBe(429);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    expect((await gql(t.app, b.ownerToken, VIEWER)).status).toBe(200);
    // Another token of the same account does not get a fresh budget.
    expect((await gql(t.app, await tokenFor(t.services, a.ownerEmail), VIEWER)).status).toBe(429);
    // The counter is keyed by the account, never by the token.
    const keys: { key: string }[] =
      engineName() === 'postgresql' ? await t.orm.em.fork().execute('select key from rate_limit') : [];
    for (const { key } of keys) expect(key).not.toContain(a.ownerToken);
  });

  it('counts one token sent in different spellings of the header (scheme case, spaces) in one budget', async () => {
    const { ownerToken } = await makeOrganization(t.services);
    const spellings = [
      `Bearer ${ownerToken}`,
      `bearer ${ownerToken}`,
      `BEARER    ${ownerToken}`,
      `Bearer ${ownerToken}   `,
    ];
    for (const authorization of spellings) {
      const res = await send(t.app, authorization);
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 200 });
    }
    const limited = await send(t.app, `bEaReR  ${ownerToken}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe(`failed authentications per client address (${engineName()})`, () => {
  it('answers 429 to the failures of an address after AUTH_FAILURE_RATE_LIMIT bad tokens, never to a valid one', async () => {
    const { ownerToken } = await makeOrganization(t.services);
    const attacker = '203.0.113.7';
    for (let i = 0; i < 5; i++) {
      const res = await send(proxied, badToken(), attacker);
      expect([res.status, res.body.errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    const limited = await send(proxied, badToken(), attacker);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/failed authentications/),
      extensions: { code: 'RATE_LIMITED' },
    });
    // The credential is checked first: a valid token from the same address (an office behind one NAT) still works,
    // and the address's next failure is still refused.
    expect((await send(proxied, `Bearer ${ownerToken}`, attacker)).status).toBe(200);
    expect((await send(proxied, badToken(), attacker)).status).toBe(429);
    expect((await send(proxied, 'Bearer not/a/token', attacker)).status).toBe(429);
    // Other addresses get their own 401s.
    expect((await send(proxied, badToken(), '198.51.100.21')).status).toBe(401);
  });

  it('does not count requests that present no credential: any web page can make a browser send them', async () => {
    const { ownerToken } = await makeOrganization(t.services);
    const office = '203.0.113.8';
    // What an <img src=".../graphql"> on any page makes every browser behind the office's address send.
    for (let i = 0; i < 60; i++) {
      const res = await request(proxied).get('/graphql').set('x-forwarded-for', office);
      expect([i, res.status, res.body.errors?.[0]?.extensions?.code]).toEqual([i, 401, 'UNAUTHENTICATED']);
    }
    for (let i = 0; i < 3; i++) {
      const res = await request(proxied).options('/graphql').set('x-forwarded-for', office);
      expect(res.status).not.toBe(429);
    }
    const res = await send(proxied, `Bearer ${ownerToken}`, office);
    expect([res.status, res.body.errors]).toEqual([200, undefined]);
    // The address's failure budget is untouched: its first bad token gets its own 401.
    expect((await send(proxied, badToken(), office)).status).toBe(401);
  });

  it('answers a valid token 200 from an address whose failure budget is spent by others', async () => {
    const { ownerToken } = await makeOrganization(t.services);
    const nat = '203.0.113.9';
    for (let i = 0; i < 20; i++) await send(proxied, badToken(), nat);
    expect((await send(proxied, badToken(), nat)).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await send(proxied, `Bearer ${ownerToken}`, nat)).status).toBe(200);
  });

  it('counts an IPv6 client by its /64 network', async () => {
    for (let i = 0; i < 5; i++) expect((await send(proxied, badToken(), `2001:db8:1:2::${i + 1}`)).status).toBe(401);
    expect((await send(proxied, badToken(), '2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await send(proxied, badToken(), '2001:db8:1:3::1')).status).toBe(401);
  });

  it('ignores X-Forwarded-For when TRUST_PROXY is unset: the socket address is the client', async () => {
    for (let i = 0; i < 5; i++) expect((await send(t.app, badToken(), `192.0.2.${i + 1}`)).status).toBe(401);
    const limited = await send(t.app, badToken(), '192.0.2.99');
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});
