import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { codes, gql, ok } from './gql';

const VIEWER = '{ viewer { user { id } } }';
const CREATE = `mutation($name: String, $expiresAt: DateTimeISO) {
  accessTokenCreate(input: { name: $name, expiresAt: $expiresAt }) {
    token expiryCapped accessToken { id hint expiresAt createdBy { kind parentId label } } userErrors { code message }
  }
}`;
const REVOKE = `mutation($id: ID!) { accessTokenRevoke(input: { id: $id }) { accessToken { id revokedAt } userErrors { code } } }`;
const TOKENS = '{ viewer { accessTokens { id name expiresAt createdBy { kind parentId label } } } }';
const SESSIONS = `query($first: Int, $after: String) {
  viewer { sessions(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id expiresAt method current createdBy { kind parentId label } }
  } }
}`;
const EVENTS = '{ viewer { events(first: 50) { nodes { type details } } } }';
const SIGN_IN_ATTEMPTS = 100;

let t: TestApp;
beforeAll(async () => {
  // Room for the 21 sign-ins of one test from one address.
  t = await createTestApp({ SIGN_IN_RATE_LIMIT: String(SIGN_IN_ATTEMPTS) });
});
afterAll(() => t?.close());

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A root token for a fresh account, as `orgctl token create` makes it. */
async function rootToken(email = `lineage-${unique()}@example.test`) {
  const { token, apiKey } = await t.services.tokens.create(cliActor(), { email });
  return { email, token, id: apiKey.id };
}

/** accessTokenCreate with `token`; the payload must have no userErrors. */
async function mint(token: string, variables: { name?: string; expiresAt?: string | Date } = {}) {
  const created = (await ok(t.app, token, CREATE, variables)).accessTokenCreate;
  expect(created.userErrors).toEqual([]);
  return created as {
    token: string;
    expiryCapped: boolean;
    accessToken: { id: string; hint: string; expiresAt: string | null; createdBy: Record<string, unknown> };
  };
}

/** POST /auth/token: a session opened with `token`; its cookie (whatever its name). */
async function signInWith(token: string, userAgent = 'LineageBrowser/1.0'): Promise<string> {
  const res = await request(t.app)
    .post('/auth/token')
    .set('content-type', 'application/json')
    .set('user-agent', userAgent)
    .send({ token });
  expect(res.status).toBe(200);
  return ([] as string[]).concat(res.headers['set-cookie'])[0].split(';')[0];
}

const withCookie = (cookie: string, query: string, variables?: Record<string, unknown>) =>
  request(t.app)
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('cookie', cookie)
    .send({ query, variables });

const status = async (token: string) => (await gql(t.app, token, VIEWER)).status;
const cookieStatus = async (cookie: string) => (await withCookie(cookie, VIEWER)).status;

describe(`credential lineage (${engineName()})`, () => {
  it('a token made with an expiring token expires no later than it, and says what made it', async () => {
    const root = await rootToken();
    expect((await ok(t.app, root.token, TOKENS)).viewer.accessTokens).toEqual([
      { id: root.id, name: null, expiresAt: null, createdBy: { kind: 'CLI', parentId: null, label: 'orgctl' } },
    ]);
    const parentExpiry = inAnHour();
    const parent = await mint(root.token, { name: 'ci', expiresAt: parentExpiry });
    expect(parent.expiryCapped).toBe(false);
    expect(parent.accessToken.createdBy).toEqual({
      kind: 'ACCESS_TOKEN',
      parentId: root.id,
      label: expect.stringMatching(/^Access token …/),
    });

    // "Never expires" and a later expiry are both brought forward to the parent's; an earlier one is kept.
    const never = await mint(parent.token);
    expect([never.accessToken.expiresAt, never.expiryCapped]).toEqual([parentExpiry, true]);
    const later = await mint(parent.token, { expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() });
    expect([later.accessToken.expiresAt, later.expiryCapped]).toEqual([parentExpiry, true]);
    const earlier = new Date(Date.now() + 60_000).toISOString();
    const sooner = await mint(parent.token, { expiresAt: earlier });
    expect([sooner.accessToken.expiresAt, sooner.expiryCapped]).toEqual([earlier, false]);
    expect(never.accessToken.createdBy).toEqual({
      kind: 'ACCESS_TOKEN',
      parentId: parent.accessToken.id,
      label: `Access token ci (${parent.accessToken.hint})`,
    });
    // The grandchild, made by the capped child, is capped too.
    const grandchild = await mint(never.token);
    expect(grandchild.accessToken.expiresAt).toBe(parentExpiry);
  });

  it('a session opened with an expiring token ends no later than the token, and names it', async () => {
    const root = await rootToken();
    const expiresAt = new Date(Date.now() + 2 * 3600_000).toISOString();
    const parent = await mint(root.token, { name: 'laptop', expiresAt });
    const cookie = await signInWith(parent.token);
    const [session] = (await withCookie(cookie, SESSIONS)).body.data.viewer.sessions.nodes;
    expect(session).toEqual({
      id: expect.any(String),
      expiresAt, // sooner than the 12-hour idle limit: the token's end
      method: 'ACCESS_TOKEN',
      current: true,
      createdBy: {
        kind: 'ACCESS_TOKEN',
        parentId: parent.accessToken.id,
        label: `Access token laptop (${parent.accessToken.hint})`,
      },
    });

    // A token made in that session: a child of the session, capped at its end.
    const minted = (await withCookie(cookie, CREATE, { name: 'from the console' })).body.data.accessTokenCreate;
    expect(minted.accessToken).toMatchObject({
      expiresAt,
      createdBy: { kind: 'SESSION', parentId: session.id, label: 'Session (LineageBrowser/1.0)' },
    });
    expect(minted.expiryCapped).toBe(true);
  });

  it('revoking a token ends its children and grandchildren: tokens and sessions, and what those made', async () => {
    const root = await rootToken();
    const parent = await mint(root.token, { name: 'leaked' });
    const child = await mint(parent.token, { name: 'child' });
    const grandchild = await mint(child.token, { name: 'grandchild' });
    const childSession = await signInWith(parent.token);
    const grandchildSession = await signInWith(child.token);
    const madeInSession = (await withCookie(grandchildSession, CREATE, { name: 'console' })).body.data
      .accessTokenCreate;
    for (const token of [child.token, grandchild.token, madeInSession.token]) expect(await status(token)).toBe(200);
    for (const cookie of [childSession, grandchildSession]) expect(await cookieStatus(cookie)).toBe(200);

    const revoked = (await ok(t.app, root.token, REVOKE, { id: parent.accessToken.id })).accessTokenRevoke;
    expect(revoked.accessToken.revokedAt).not.toBeNull();

    for (const token of [parent.token, child.token, grandchild.token, madeInSession.token]) {
      const res = await gql(t.app, token, VIEWER);
      expect([res.status, codes(res)]).toEqual([401, ['UNAUTHENTICATED']]);
    }
    for (const cookie of [childSession, grandchildSession]) expect(await cookieStatus(cookie)).toBe(401);
    // The root that revoked it, and nothing else, still works.
    expect(await status(root.token)).toBe(200);
    // Each token revoked through its ancestor is recorded on the account, naming the revocation that ended it.
    const events = (await ok(t.app, root.token, EVENTS)).viewer.events.nodes as { type: string; details: any }[];
    const throughAncestor = events.filter((e) => e.type === 'account.token_revoked' && e.details.revokedWith);
    expect(throughAncestor.map((e) => e.details.tokenId).sort()).toEqual(
      [child.accessToken.id, grandchild.accessToken.id, madeInSession.accessToken.id].sort(),
    );
    expect(throughAncestor.every((e) => e.details.revokedWith.token === parent.accessToken.id)).toBe(true);
    expect((await ok(t.app, root.token, TOKENS)).viewer.accessTokens.map((k: { id: string }) => k.id)).toEqual([
      root.id,
    ]);
  });

  it('a revocation racing with creations under it leaves none of them working', async () => {
    const root = await rootToken();
    const parent = await mint(root.token, { name: 'parent' });
    const child = await mint(parent.token, { name: 'child' });
    const mints = Array.from({ length: 8 }, (_, i) => gql(t.app, child.token, CREATE, { name: `g${i}` }));
    const signIns = Array.from({ length: 4 }, () =>
      request(t.app).post('/auth/token').set('content-type', 'application/json').send({ token: child.token }),
    );
    const [minted, opened] = await Promise.all([
      Promise.all(mints),
      Promise.all(signIns),
      ok(t.app, root.token, REVOKE, { id: parent.accessToken.id }),
    ]);
    const tokens = minted.flatMap((res) =>
      res.body.data?.accessTokenCreate?.token ? [res.body.data.accessTokenCreate.token] : [],
    );
    const cookies = opened.flatMap((res) =>
      res.status === 200 ? [([] as string[]).concat(res.headers['set-cookie'])[0].split(';')[0]] : [],
    );
    for (const token of [child.token, ...tokens]) expect(await status(token)).toBe(401);
    for (const cookie of cookies) expect(await cookieStatus(cookie)).toBe(401);
  });

  it('signing out of a session ends the tokens made in it', async () => {
    const root = await rootToken();
    const cookie = await signInWith(root.token);
    const made = (await withCookie(cookie, CREATE, { name: 'script' })).body.data.accessTokenCreate;
    expect(await status(made.token)).toBe(200);
    const out = await request(t.app)
      .post('/auth/sign-out')
      .set('content-type', 'application/json')
      .set('cookie', cookie)
      .send({});
    expect(out.status).toBe(204);
    expect(await status(made.token)).toBe(401);
    expect(await status(root.token)).toBe(200);
  });

  it("a parent's expiry ends its children: tokens and sessions made with it are refused", async () => {
    const root = await rootToken();
    const brief = await mint(root.token, { name: 'brief', expiresAt: new Date(Date.now() + 1500) });
    const child = await mint(brief.token, { name: 'asked for ever' });
    expect(child.expiryCapped).toBe(true);
    const cookie = await signInWith(brief.token);
    expect([await status(child.token), await cookieStatus(cookie)]).toEqual([200, 200]);
    await sleep(1600);
    expect([await status(brief.token), await status(child.token), await cookieStatus(cookie)]).toEqual([401, 401, 401]);
  });

  it("a token made by orgctl is a root: revoking it (as orgctl's operator) revokes the tokens and sessions it made", async () => {
    const root = await rootToken();
    const child = await mint(root.token, { name: 'child' });
    const cookie = await signInWith(root.token);
    await t.services.tokens.revoke(cliActor(), root.id);
    expect([await status(root.token), await status(child.token), await cookieStatus(cookie)]).toEqual([401, 401, 401]);
  });

  it('an expired or revoked token cannot open a session or mint a token', async () => {
    const root = await rootToken();
    const parent = await mint(root.token, { name: 'gone' });
    await ok(t.app, root.token, REVOKE, { id: parent.accessToken.id });
    const refused = await request(t.app)
      .post('/auth/token')
      .set('content-type', 'application/json')
      .send({ token: parent.token });
    expect([refused.status, refused.body.error.code]).toEqual([401, 'INVALID_TOKEN']);
    expect((await gql(t.app, parent.token, CREATE, {})).status).toBe(401);
  });
});

describe(`sessions per account (${engineName()}, SESSIONS_PER_ACCOUNT=20)`, () => {
  it('opening a 21st session revokes the oldest, with the tokens made in it; viewer.sessions pages through the rest', async () => {
    const root = await rootToken();
    const cookies: string[] = [];
    for (let i = 0; i < 20; i++) cookies.push(await signInWith(root.token, `Browser/${i}`));
    const madeInOldest = (await withCookie(cookies[0], CREATE, { name: 'old' })).body.data.accessTokenCreate;
    expect([await cookieStatus(cookies[0]), await status(madeInOldest.token)]).toEqual([200, 200]);

    cookies.push(await signInWith(root.token, 'Browser/20'));
    expect([await cookieStatus(cookies[0]), await status(madeInOldest.token)]).toEqual([401, 401]);
    for (const cookie of cookies.slice(1)) expect(await cookieStatus(cookie)).toBe(200);
    const events = (await ok(t.app, root.token, EVENTS)).viewer.events.nodes as { type: string; details: any }[];
    expect(events.filter((e) => e.type === 'account.sessions_revoked')).toEqual([
      { type: 'account.sessions_revoked', details: { sessionIds: [expect.any(String)], reason: 'session_limit' } },
    ]);

    // Paged, newest first: 20 live sessions in pages of 8.
    const seen: { createdBy: { label: string }; current: boolean }[] = [];
    let after: string | undefined;
    const pages: number[] = [];
    for (;;) {
      const res = await withCookie(cookies[20], SESSIONS, { first: 8, after });
      const connection = res.body.data.viewer.sessions;
      expect(connection.totalCount).toBe(20);
      pages.push(connection.nodes.length);
      seen.push(...connection.nodes);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toEqual([8, 8, 4]);
    expect(seen[0].current).toBe(true);
    expect(seen.filter((s) => s.current)).toHaveLength(1);
    expect(new Set(seen.map((s: unknown) => (s as { id: string }).id)).size).toBe(20);
    expect(seen.every((s) => /^Access token /.test(s.createdBy.label))).toBe(true);

    const bad = await withCookie(cookies[20], SESSIONS, { first: 8, after: 'not-a-cursor' });
    expect(bad.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });
});
