import { type Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app';
import { cliActor } from '../../src/domain/actor';
import * as jose from 'jose';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { type OidcIssuer, type SignOptions, startOidcIssuer } from '../helpers/oidc-issuer';
import { makeOrganization, unique } from '../helpers/factories';
import { codes, gql, invitationTokenOf, ok, tokenFor } from './gql';

const AUDIENCE = 'orgd-api';
const VIEWER = `{ viewer { user { id email name } } }`;

let t: TestApp;
let idp: OidcIssuer;
let issuer: string;
let oidcApp: Express;
let unreachableApp: Express;
const stops: (() => Promise<void>)[] = [];

const jwt = (claims: Record<string, unknown>, opts: SignOptions = {}) => idp.sign(claims, opts);

beforeAll(async () => {
  idp = await startOidcIssuer({ audience: AUDIENCE });
  issuer = idp.url;
  t = await createTestApp();
  // The same services and database, with OIDC configured (as OIDC_ISSUER/OIDC_AUDIENCE would).
  const oidc = await createApp({ ...t, config: { ...t.config, OIDC_ISSUER: issuer, OIDC_AUDIENCE: AUDIENCE } });
  const unreachable = await createApp({
    ...t,
    config: {
      ...t.config,
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
    },
  });
  oidcApp = oidc.app;
  unreachableApp = unreachable.app;
  stops.push(oidc.stop, unreachable.stop);
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await idp.close();
  await t.close();
});

describe(`authentication with access tokens (${engineName()})`, () => {
  it('answers missing, malformed and unknown credentials with 401 UNAUTHENTICATED', async () => {
    for (const authorization of [undefined, '', 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer orgd_unknown', 'Bearer a b']) {
      const req = request(t.app).post('/graphql').set('content-type', 'application/json');
      if (authorization !== undefined) req.set('authorization', authorization);
      const res = await req.send({ query: VIEWER });
      expect({ authorization, status: res.status, code: res.body.errors?.[0]?.extensions?.code }).toEqual({
        authorization,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="orgd"');
      expect(res.body.data).toBeUndefined();
    }
  });

  it('authenticates with an orgctl token, an owner token, and a token made with accessTokenCreate; a revoked one stops at once', async () => {
    const email = `token-${unique()}@example.test`;
    const cliToken = await tokenFor(t.services, email);
    expect((await ok(t.app, cliToken, VIEWER)).viewer.user.email).toBe(email);
    const { ownerToken, ownerEmail } = await makeOrganization(t.services);
    expect((await ok(t.app, ownerToken, VIEWER)).viewer.user.email).toBe(ownerEmail);

    const created = (
      await ok(
        t.app,
        cliToken,
        `mutation { accessTokenCreate(input: { name: "ci" }) { token accessToken { id name hint revokedAt } userErrors { code } } }`,
      )
    ).accessTokenCreate;
    expect(created.token).toMatch(/^orgd_/);
    expect(created.accessToken).toMatchObject({ name: 'ci', hint: `…${created.token.slice(-6)}`, revokedAt: null });
    expect((await ok(t.app, created.token, VIEWER)).viewer.user.email).toBe(email);
    const listed = (await ok(t.app, cliToken, `{ viewer { accessTokens { id name } } }`)).viewer.accessTokens;
    expect(listed.map((k: { id: string }) => k.id)).toContain(created.accessToken.id);

    const revoked = await ok(
      t.app,
      cliToken,
      `mutation($id: ID!) { accessTokenRevoke(input: { id: $id }) { accessToken { id revokedAt } userErrors { code } } }`,
      { id: created.accessToken.id },
    );
    expect(revoked.accessTokenRevoke.accessToken.revokedAt).not.toBeNull();
    const after = await gql(t.app, created.token, VIEWER);
    expect([after.status, codes(after)]).toEqual([401, ['UNAUTHENTICATED']]);
    expect((await gql(t.app, cliToken, VIEWER)).status).toBe(200);
  });

  it('does not take a JWT when OIDC is not configured', async () => {
    const res = await gql(t.app, await jwt({ email: `jwt-${unique()}@example.test`, email_verified: true }), VIEWER);
    expect([res.status, codes(res)]).toEqual([401, ['UNAUTHENTICATED']]);
  });
});

describe(`authentication with OIDC JWTs (${engineName()})`, () => {
  it('verifies the JWT against the issuer JWKS and maps its subject to an account, created on first login', async () => {
    const email = `Oidc-${unique()}@Example.test`;
    const subject = `sub-${unique()}`;
    const first = await ok(oidcApp, await jwt({ email, email_verified: true, name: 'Olivia' }, { subject }), VIEWER);
    expect(first.viewer.user).toMatchObject({ email, name: 'Olivia' });
    const again = await ok(
      oidcApp,
      await jwt({ email: email.toLowerCase(), email_verified: true }, { subject }),
      VIEWER,
    );
    expect(again.viewer.user.id).toBe(first.viewer.user.id);
    // Access tokens keep working next to OIDC.
    expect((await gql(oidcApp, await tokenFor(t.services, email), VIEWER)).status).toBe(200);
  });

  it('lets an OIDC user accept its invitation and act with its rights', async () => {
    const { orgId } = await makeOrganization(t.services);
    const email = `sso-${unique()}@example.test`;
    const { member } = await t.services.memberLifecycle.invite(cliActor(), orgId, { email });
    const token = await jwt({ email, email_verified: true });
    const accepted = await ok(
      oidcApp,
      token,
      `mutation($token: String!) { invitationAccept(input: { token: $token }) { member { id status } userErrors { code } } }`,
      {
        token: await invitationTokenOf(t.orm, member.id),
      },
    );
    expect(accepted.invitationAccept).toEqual({ member: { id: member.id, status: 'ACCEPTED' }, userErrors: [] });
    await t.services.memberLifecycle.confirm(cliActor(), orgId, member.id);
    expect(
      (await ok(oidcApp, token, `{ viewer { organizations { nodes { id } } } }`)).viewer.organizations.nodes,
    ).toEqual([{ id: orgId }]);
  });

  it.each([
    ['another audience', () => jwt({ email: 'a@example.test', email_verified: true }, { audience: 'someone-else' })],
    [
      'another issuer',
      () => jwt({ email: 'a@example.test', email_verified: true }, { issuer: 'https://evil.example.test' }),
    ],
    ['an expired token', () => jwt({ email: 'a@example.test', email_verified: true }, { expiresIn: '-5m' })],
    ['no expiry', () => jwt({ email: 'a@example.test', email_verified: true }, { expiresIn: null })],
    [
      'a signature by another key',
      () => jwt({ email: 'a@example.test', email_verified: true }, { key: idp.strangerKey }),
    ],
    [
      'an unknown key id',
      () => jwt({ email: 'a@example.test', email_verified: true }, { key: idp.strangerKey, kid: 'other' }),
    ],
    ['no email claim', () => jwt({ name: 'nobody', email_verified: true })],
    ['an unverified email', () => jwt({ email: 'a@example.test', email_verified: false })],
    ['no email_verified claim', () => jwt({ email: 'a@example.test' })],
    ['email_verified as a string', () => jwt({ email: 'a@example.test', email_verified: 'true' })],
    ['no subject', () => jwt({ email: 'a@example.test', email_verified: true }, { subject: null })],
    [
      'several audiences without azp',
      () => jwt({ email: 'a@example.test', email_verified: true }, { audience: [AUDIENCE, 'another-api'] }),
    ],
    [
      'several audiences issued to another client (azp)',
      () =>
        jwt(
          { email: 'a@example.test', email_verified: true, azp: 'another-client' },
          { audience: [AUDIENCE, 'another-api'] },
        ),
    ],
    ['an invalid email', () => jwt({ email: 'not an email', email_verified: true })],
    [
      'a symmetric algorithm',
      async () =>
        new jose.SignJWT({ email: 'a@example.test', email_verified: true })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(issuer)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('x'.repeat(32))),
    ],
    [
      'a tampered payload',
      async () => {
        const [h, , s] = (await jwt({ email: 'a@example.test', email_verified: true })).split('.');
        return `${h}.${Buffer.from(JSON.stringify({ email: 'admin@example.test', iss: issuer, aud: AUDIENCE, exp: 4102444800 })).toString('base64url')}.${s}`;
      },
    ],
  ])('rejects %s with 401 UNAUTHENTICATED', async (_case, make) => {
    const res = await gql(oidcApp, await make(), VIEWER);
    expect([res.status, codes(res)]).toEqual([401, ['UNAUTHENTICATED']]);
  });

  it('accepts a token for several audiences issued to the configured audience (azp)', async () => {
    const email = `azp-${unique()}@example.test`;
    const token = await jwt({ email, email_verified: true, azp: AUDIENCE }, { audience: [AUDIENCE, 'another-api'] });
    const res = await gql(oidcApp, token, VIEWER);
    expect(res.status).toBe(200);
    expect(res.body.data!.viewer.user.email).toBe(email);
  });

  it("answers 503 when the issuer's key set cannot be fetched", async () => {
    const res = await gql(unreachableApp, await jwt({ email: 'a@example.test', email_verified: true }), VIEWER);
    expect([res.status, codes(res)]).toEqual([503, ['SERVICE_UNAVAILABLE']]);
  });
});
