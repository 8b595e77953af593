import { type Express } from 'express';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { User } from '../../src/entities';
import { createLogger } from '../../src/logger';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type OidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer';
import { codes, gql, ok, tokenFor } from './gql';

const AUDIENCE = 'orgd-api';
const VIEWER = `{ viewer { user { id email name } } }`;
const EVENTS = `{ viewer { events { totalCount nodes { type details } } } }`;

let idp: OidcIssuer;
let t: TestApp;
const stops: (() => Promise<void>)[] = [];

/** Another server process over the same database: its authenticator has an empty cache, so the database decides. */
async function freshApp(overrides: Partial<TestApp['config']> = {}): Promise<Express> {
  const { app, stop } = await createApp({ ...t, config: { ...t.config, ...overrides } });
  stops.push(stop);
  return app;
}

const accountsWithEmail = (email: string) => t.orm.em.fork().find(User, { email: { $ilike: email } });
const account = (id: string) => t.orm.em.fork().findOneOrFail(User, id);

beforeAll(async () => {
  // The JWKS sits where only the discovery document says (not at the conventional /.well-known/jwks.json).
  idp = await startOidcIssuer({ audience: AUDIENCE, jwksPath: '/oauth/keys' });
  t = await createTestApp({ OIDC_ISSUER: idp.url, OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URL: idp.jwksUrl });
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await t?.close();
  await idp?.close();
});

describe(`OIDC identities are bound to the issuer's subject (${engineName()})`, () => {
  it.each([
    ['email_verified false', { email_verified: false }],
    ['no email_verified claim', {}],
    ['email_verified "true" (a string)', { email_verified: 'true' }],
  ])('refuses a token with %s with 401 and creates no account', async (_case, claims) => {
    const email = `unverified-${unique()}@example.test`;
    const res = await gql(t.app, await idp.sign({ email, ...claims }), VIEWER);
    expect([res.status, codes(res)]).toEqual([401, ['UNAUTHENTICATED']]);
    expect(res.body.errors?.[0].message).toMatch(/verified/);
    expect(await accountsWithEmail(email)).toEqual([]);
  });

  it('refuses an unverified e-mail even for an existing account with that address (it is not taken over)', async () => {
    const email = `victim-${unique()}@example.test`;
    const token = await tokenFor(t.services, email);
    const res = await gql(t.app, await idp.sign({ email }), VIEWER);
    expect([res.status, codes(res)]).toEqual([401, ['UNAUTHENTICATED']]);
    const [victim] = await accountsWithEmail(email);
    expect([victim.oidcIssuer, victim.oidcSubject]).toEqual([null, null]);
    expect((await gql(t.app, token, VIEWER)).status).toBe(200);
  });

  it('binds a new account to (issuer, subject) at its first sign-in', async () => {
    const email = `first-${unique()}@example.test`;
    const subject = `sub-${unique()}`;
    const { viewer } = await ok(
      t.app,
      await idp.sign({ email, email_verified: true, name: 'Fiona' }, { subject }),
      VIEWER,
    );
    expect(viewer.user).toMatchObject({ email, name: 'Fiona' });
    expect(await account(viewer.user.id)).toMatchObject({ email, oidcIssuer: idp.url, oidcSubject: subject });

    // Every request carries the JWT: the binding is recorded once, not once per request (nor per server).
    const token = await idp.sign({ email, email_verified: true }, { subject });
    for (let i = 0; i < 3; i++) await ok(t.app, token, VIEWER);
    await ok(await freshApp(), token, VIEWER);
    const { events } = (await ok(t.app, token, EVENTS)).viewer;
    expect(events.totalCount).toBe(1);
    expect(events.nodes).toEqual([
      { type: 'account.oidc_linked', details: { issuer: idp.url, subject, accountCreated: true } },
    ]);
  });

  it('binds the existing account with that verified e-mail (made by orgctl) at its first sign-in', async () => {
    const email = `existing-${unique()}@example.test`;
    const token = await tokenFor(t.services, email);
    const before = (await ok(t.app, token, VIEWER)).viewer.user;
    const subject = `sub-${unique()}`;
    const { viewer } = await ok(
      t.app,
      await idp.sign({ email: email.toUpperCase(), email_verified: true }, { subject }),
      VIEWER,
    );
    expect(viewer.user.id).toBe(before.id);
    expect(await account(before.id)).toMatchObject({ oidcIssuer: idp.url, oidcSubject: subject });
    expect(await accountsWithEmail(email)).toHaveLength(1);
    const types = (await ok(t.app, token, EVENTS)).viewer.events.nodes.map(
      (e: { type: string; details: { accountCreated?: boolean } }) => [e.type, e.details.accountCreated],
    );
    expect(types).toEqual([
      ['account.oidc_linked', false],
      ['account.token_created', undefined],
    ]);
  });

  it("finds the bound account by its subject after the e-mail changed at the issuer, even to another account's address", async () => {
    const email = `before-${unique()}@example.test`;
    const subject = `sub-${unique()}`;
    const first = (await ok(t.app, await idp.sign({ email, email_verified: true }, { subject }), VIEWER)).viewer.user;

    // A new address nobody has: still the same account (its own e-mail unchanged), no new account.
    const renamed = `after-${unique()}@example.test`;
    const later = (
      await ok(await freshApp(), await idp.sign({ email: renamed, email_verified: true }, { subject }), VIEWER)
    ).viewer.user;
    expect(later).toEqual(first);
    expect(await accountsWithEmail(renamed)).toEqual([]);

    // The address of another, unbound account: the subject still decides, the other account is untouched.
    const otherEmail = `other-${unique()}@example.test`;
    await tokenFor(t.services, otherEmail);
    const again = (
      await ok(await freshApp(), await idp.sign({ email: otherEmail, email_verified: true }, { subject }), VIEWER)
    ).viewer.user;
    expect(again.id).toBe(first.id);
    const [other] = await accountsWithEmail(otherEmail);
    expect([other.oidcIssuer, other.oidcSubject]).toEqual([null, null]);
  });

  it("refuses another subject presenting a bound account's e-mail: 403, the account stays bound, nothing is logged with the token", async () => {
    const email = `bound-${unique()}@example.test`;
    const owner = `sub-${unique()}`;
    const bound = (await ok(t.app, await idp.sign({ email, email_verified: true }, { subject: owner }), VIEWER)).viewer
      .user;

    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const container = createContainer(
      t.config,
      t.orm,
      createLogger('debug', sink),
      t.db.url.startsWith('pglite') ? undefined : { kind: 'postgres', url: t.db.url, dataDir: '' },
    );
    const { app, stop } = await createApp(container);
    stops.push(async () => {
      await stop();
      await container.rateLimits.close();
    });
    const intruder = await idp.sign({ email, email_verified: true, name: 'Mallory' }, { subject: `sub-${unique()}` });
    const res = await gql(app, intruder, VIEWER);
    expect([res.status, codes(res)]).toEqual([403, ['FORBIDDEN']]);
    expect(res.body.errors?.[0].message).toMatch(/another identity/);
    expect(res.body.data ?? null).toBeNull();

    expect(await account(bound.id)).toMatchObject({ email, name: null, oidcIssuer: idp.url, oidcSubject: owner });
    expect(await accountsWithEmail(email)).toHaveLength(1);
    // The rightful subject still signs in (on a server that has not cached it).
    expect(
      (await ok(await freshApp(), await idp.sign({ email, email_verified: true }, { subject: owner }), VIEWER)).viewer
        .user.id,
    ).toBe(bound.id);

    const log = lines.join('');
    expect(log).toMatch(/bound to another subject/);
    expect(log).toContain(bound.id);
    expect(log).not.toContain(intruder);
    expect(log).not.toContain(intruder.split('.')[2]);
  });

  it('two first sign-ins of one subject at once make one account', async () => {
    const email = `race-${unique()}@example.test`;
    const subject = `sub-${unique()}`;
    const apps = await Promise.all([freshApp(), freshApp(), freshApp(), freshApp()]);
    const token = await idp.sign({ email, email_verified: true }, { subject });
    const results = await Promise.all(apps.map((app) => ok(app, token, VIEWER)));
    expect(new Set(results.map((r) => r.viewer.user.id)).size).toBe(1);
    expect(await accountsWithEmail(email)).toHaveLength(1);
  });
});

describe(`tokens made with an OIDC JWT (${engineName()})`, () => {
  it("expire no later than the JWT's exp and say they came from OIDC", async () => {
    const jwt = await idp.sign({ email: `jwt-${unique()}@example.test`, email_verified: true }, { expiresIn: '10m' });
    const exp = new Date(JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).exp * 1000);
    const created = (
      await ok(
        t.app,
        jwt,
        `mutation { accessTokenCreate(input: { name: "from sso" }) {
          expiryCapped accessToken { expiresAt createdBy { kind parentId label } } userErrors { code }
        } }`,
      )
    ).accessTokenCreate;
    expect(created).toEqual({
      expiryCapped: true,
      accessToken: {
        expiresAt: exp.toISOString(),
        createdBy: { kind: 'OIDC', parentId: null, label: 'Single sign-on' },
      },
      userErrors: [],
    });
  });
});

describe(`OIDC_TRUST_UNVERIFIED_EMAIL=true (${engineName()})`, () => {
  let trusting: TestApp;
  beforeAll(async () => {
    trusting = await createTestApp({
      OIDC_ISSUER: idp.url,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URL: idp.jwksUrl,
      OIDC_TRUST_UNVERIFIED_EMAIL: 'true',
    });
  });
  afterAll(() => trusting?.close());

  it('accepts a token without email_verified and binds its subject', async () => {
    const email = `trusted-${unique()}@example.test`;
    const subject = `sub-${unique()}`;
    const { viewer } = await ok(trusting.app, await idp.sign({ email }, { subject }), VIEWER);
    expect(viewer.user.email).toBe(email);
    const stored = await trusting.orm.em.fork().findOneOrFail(User, viewer.user.id);
    expect([stored.oidcIssuer, stored.oidcSubject]).toEqual([idp.url, subject]);
    // Still never a takeover: another subject with that address is refused.
    const res = await gql(trusting.app, await idp.sign({ email }, { subject: `sub-${unique()}` }), VIEWER);
    expect([res.status, codes(res)]).toEqual([403, ['FORBIDDEN']]);
  });
});

describe(`jwks_uri from the issuer's discovery document (${engineName()})`, () => {
  it('finds the key set through /.well-known/openid-configuration when OIDC_JWKS_URL is unset, and fetches the document once', async () => {
    const discovering = await freshApp({ OIDC_JWKS_URL: undefined });
    const email = `discovered-${unique()}@example.test`;
    const { viewer } = await ok(discovering, await idp.sign({ email, email_verified: true }), VIEWER);
    expect(viewer.user.email).toBe(email);
    expect(idp.requests).toContain('/.well-known/openid-configuration');
    expect(idp.requests).toContain('/oauth/keys');
    expect(idp.requests).not.toContain('/.well-known/jwks.json');
    const fetched = idp.requests.filter((r) => r === '/.well-known/openid-configuration').length;
    for (let i = 0; i < 3; i++)
      await ok(
        await freshApp({ OIDC_JWKS_URL: undefined }),
        await idp.sign({ email: `d${i}-${unique()}@example.test`, email_verified: true }),
        VIEWER,
      );
    expect(idp.requests.filter((r) => r === '/.well-known/openid-configuration')).toHaveLength(fetched);
  });

  it('answers 503 (not 401) when the issuer cannot be reached, and when its document names another issuer', async () => {
    const unreachable = await freshApp({ OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_JWKS_URL: undefined });
    const token = await idp.sign({ email: 'a@example.test', email_verified: true }, { issuer: 'http://127.0.0.1:9' });
    const res = await gql(unreachable, token, VIEWER);
    expect([res.status, codes(res)]).toEqual([503, ['SERVICE_UNAVAILABLE']]);

    const impostor = await startOidcIssuer({
      audience: AUDIENCE,
      discoveryIssuer: 'https://someone-else.example.test',
    });
    try {
      const app = await freshApp({ OIDC_ISSUER: impostor.url, OIDC_JWKS_URL: undefined });
      const foreign = await gql(app, await impostor.sign({ email: 'a@example.test', email_verified: true }), VIEWER);
      expect([foreign.status, codes(foreign)]).toEqual([503, ['SERVICE_UNAVAILABLE']]);
      expect(impostor.requests).toEqual(['/.well-known/openid-configuration']);
    } finally {
      await impostor.close();
    }
  });
});
