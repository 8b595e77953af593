import { Express } from 'express';
import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import request from 'supertest';
import { createApp } from '../../src/app';
import { cliActor } from '../../src/domain/actor';
import { Jose, loadJose } from '../../src/graphql/esm';
import { TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { codes, gql, invitationTokenOf, newOrganization, ok, tokenFor } from './gql';

type SigningKey = Awaited<ReturnType<Jose['generateKeyPair']>>['privateKey'];

const AUDIENCE = 'orgd-api';
const VIEWER = `{ viewer { user { id email name } } }`;

let t: TestApp;
let jose: Jose;
let issuer: string;
let jwksServer: Server;
let signingKey: SigningKey;
let strangerKey: SigningKey;
let oidcApp: Express;
let unreachableApp: Express;
const stops: (() => Promise<void>)[] = [];

/** A local OIDC issuer: serves its JWKS over HTTP on 127.0.0.1; the tests sign tokens with its private key. */
async function startIssuer(): Promise<void> {
  const pair = await jose.generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await jose.generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
}

function jwt(claims: Record<string, unknown>, opts: { key?: SigningKey; issuer?: string; audience?: string; expiresIn?: string | null; kid?: string } = {}): Promise<string> {
  let builder = new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'test-key' })
    .setIssuedAt()
    .setIssuer(opts.issuer ?? issuer)
    .setAudience(opts.audience ?? AUDIENCE)
    .setSubject(`sub-${unique()}`);
  if (opts.expiresIn !== null) builder = builder.setExpirationTime(opts.expiresIn ?? '5m');
  return builder.sign(opts.key ?? signingKey);
}

beforeAll(async () => {
  jose = await loadJose();
  await startIssuer();
  t = await createTestApp();
  // The same services and database, with OIDC configured (as OIDC_ISSUER/OIDC_AUDIENCE would).
  const oidc = await createApp({ ...t, config: { ...t.config, OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE } });
  const unreachable = await createApp({ ...t, config: { ...t.config, OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URL: 'http://127.0.0.1:9/jwks.json' } });
  oidcApp = oidc.app;
  unreachableApp = unreachable.app;
  stops.push(oidc.stop, unreachable.stop);
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await new Promise((resolve) => jwksServer.close(resolve));
  await t.close();
});

describe(`authentication with access tokens (${engineName()})`, () => {
  it('answers missing, malformed and unknown credentials with 401 UNAUTHENTICATED', async () => {
    for (const authorization of [undefined, '', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer orgd_unknown', 'Bearer a b']) {
      const req = request(t.app).post('/graphql').set('content-type', 'application/json');
      if (authorization !== undefined) req.set('authorization', authorization);
      const res = await req.send({ query: VIEWER });
      expect({ authorization, status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({ authorization, status: 401, code: 'UNAUTHENTICATED' });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="orgd"');
      expect(res.body.data).toBeUndefined();
    }
  });

  it('authenticates with an orgctl token, an owner token, and a token made with accessTokenCreate; a revoked one stops at once', async () => {
    const email = `token-${unique()}@example.test`;
    const cliToken = await tokenFor(t.services, email);
    expect((await ok(t.app, cliToken, VIEWER)).viewer.user.email).toBe(email);
    const { ownerToken, ownerEmail } = await newOrganization(t.services);
    expect((await ok(t.app, ownerToken, VIEWER)).viewer.user.email).toBe(ownerEmail);

    const created = (await ok(t.app, cliToken, `mutation { accessTokenCreate(input: { name: "ci" }) { token accessToken { id name hint revokedAt } userErrors { code } } }`)).accessTokenCreate;
    expect(created.token).toMatch(/^orgd_/);
    expect(created.accessToken).toMatchObject({ name: 'ci', hint: `…${created.token.slice(-6)}`, revokedAt: null });
    expect((await ok(t.app, created.token, VIEWER)).viewer.user.email).toBe(email);
    const listed = (await ok(t.app, cliToken, `{ viewer { accessTokens { id name } } }`)).viewer.accessTokens;
    expect(listed.map((k: { id: string }) => k.id)).toContain(created.accessToken.id);

    const revoked = await ok(t.app, cliToken, `mutation($id: ID!) { accessTokenRevoke(input: { id: $id }) { accessToken { id revokedAt } userErrors { code } } }`, { id: created.accessToken.id });
    expect(revoked.accessTokenRevoke.accessToken.revokedAt).not.toBeNull();
    const after = await gql(t.app, created.token, VIEWER);
    expect([after.status, codes(after)]).toEqual([401, ['UNAUTHENTICATED']]);
    expect((await gql(t.app, cliToken, VIEWER)).status).toBe(200);
  });

  it('does not take a JWT when OIDC is not configured', async () => {
    const res = await gql(t.app, await jwt({ email: `jwt-${unique()}@example.test` }), VIEWER);
    expect([res.status, codes(res)]).toEqual([401, ['UNAUTHENTICATED']]);
  });
});

describe(`authentication with OIDC JWTs (${engineName()})`, () => {
  it('verifies the JWT against the issuer JWKS and maps its email to an account, created on first login', async () => {
    const email = `Oidc-${unique()}@Example.test`;
    const first = await ok(oidcApp, await jwt({ email, email_verified: true, name: 'Olivia' }), VIEWER);
    expect(first.viewer.user).toMatchObject({ email, name: 'Olivia' });
    const again = await ok(oidcApp, await jwt({ email: email.toLowerCase() }), VIEWER);
    expect(again.viewer.user.id).toBe(first.viewer.user.id);
    // Access tokens keep working next to OIDC.
    expect((await gql(oidcApp, await tokenFor(t.services, email), VIEWER)).status).toBe(200);
  });

  it('lets an OIDC user accept its invitation and act with its rights', async () => {
    const { orgId } = await newOrganization(t.services);
    const email = `sso-${unique()}@example.test`;
    const { member } = await t.services.members.invite(cliActor(), orgId, { email });
    const token = await jwt({ email });
    const accepted = await ok(oidcApp, token, `mutation($token: String!) { invitationAccept(input: { token: $token }) { member { id status } userErrors { code } } }`, {
      token: await invitationTokenOf(t.orm, member.id),
    });
    expect(accepted.invitationAccept).toEqual({ member: { id: member.id, status: 'ACCEPTED' }, userErrors: [] });
    await t.services.members.confirm(cliActor(), orgId, member.id);
    expect((await ok(oidcApp, token, `{ viewer { organizations { nodes { id } } } }`)).viewer.organizations.nodes).toEqual([{ id: orgId }]);
  });

  it.each([
    ['another audience', () => jwt({ email: 'a@example.test' }, { audience: 'someone-else' })],
    ['another issuer', () => jwt({ email: 'a@example.test' }, { issuer: 'https://evil.example.test' })],
    ['an expired token', () => jwt({ email: 'a@example.test' }, { expiresIn: '-5m' })],
    ['no expiry', () => jwt({ email: 'a@example.test' }, { expiresIn: null })],
    ['a signature by another key', () => jwt({ email: 'a@example.test' }, { key: strangerKey })],
    ['an unknown key id', () => jwt({ email: 'a@example.test' }, { key: strangerKey, kid: 'other' })],
    ['no email claim', () => jwt({ name: 'nobody' })],
    ['an unverified email', () => jwt({ email: 'a@example.test', email_verified: false })],
    ['an invalid email', () => jwt({ email: 'not an email' })],
    ['a symmetric algorithm', async () => new jose.SignJWT({ email: 'a@example.test' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(issuer).setAudience(AUDIENCE).setExpirationTime('5m').sign(new TextEncoder().encode('x'.repeat(32)))],
    ['a tampered payload', async () => {
      const [h, , s] = (await jwt({ email: 'a@example.test' })).split('.');
      return `${h}.${Buffer.from(JSON.stringify({ email: 'admin@example.test', iss: issuer, aud: AUDIENCE, exp: 4102444800 })).toString('base64url')}.${s}`;
    }],
  ])('rejects %s with 401 UNAUTHENTICATED', async (_case, make) => {
    const res = await gql(oidcApp, await make(), VIEWER);
    expect([res.status, codes(res)]).toEqual([401, ['UNAUTHENTICATED']]);
  });

  it('answers 503 when the issuer\'s key set cannot be fetched', async () => {
    const res = await gql(unreachableApp, await jwt({ email: 'a@example.test' }), VIEWER);
    expect([res.status, codes(res)]).toEqual([503, ['SERVICE_UNAVAILABLE']]);
  });
});
