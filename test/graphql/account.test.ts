import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { ApiKey } from '../../src/entities';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { codes, gql, ok, tokenFor } from './gql';

// A small cap, so that reaching it takes three tokens.
const CAP = 3;
const VIEWER = `{ viewer { user { id } } }`;
const CREATE = `mutation($name: String, $expiresAt: DateTimeISO) {
  accessTokenCreate(input: { name: $name, expiresAt: $expiresAt }) { token accessToken { id name expiresAt revokedAt } userErrors { code field message } }
}`;
const REVOKE = `mutation($id: ID!) { accessTokenRevoke(input: { id: $id }) { accessToken { id revokedAt } userErrors { code field message } } }`;
const TOKENS = `{ viewer { accessTokens { id name expiresAt } } }`;
const EVENTS = `query($first: Int, $after: String) {
  viewer { events(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type details requestId createdAt } } } }
}`;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ ACCESS_TOKENS_PER_ACCOUNT: String(CAP) });
});
afterAll(() => t?.close());

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const tokenIds = async (token: string): Promise<string[]> =>
  (await ok(t.app, token, TOKENS)).viewer.accessTokens.map((k: { id: string }) => k.id);
const events = async (token: string, first = 50) => (await ok(t.app, token, EVENTS, { first })).viewer.events;

/** POST /graphql returning the response's X-Request-Id too. */
async function withRequestId(token: string, query: string, variables: Record<string, unknown>) {
  const res = await request(t.app)
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('authorization', `Bearer ${token}`)
    .send({ query, variables });
  expect(res.body.errors).toBeUndefined();
  return { data: res.body.data, requestId: res.headers['x-request-id'] as string };
}

describe(`access tokens of an account (${engineName()})`, () => {
  it('carry an optional expiry: listed with it, refused by verification once it has passed, never in the past', async () => {
    const token = await tokenFor(t.services, `expiry-${unique()}@example.test`);
    const expiresAt = inAnHour();
    const created = (await ok(t.app, token, CREATE, { name: 'ci', expiresAt })).accessTokenCreate;
    expect(created.userErrors).toEqual([]);
    expect(created.accessToken).toMatchObject({ name: 'ci', expiresAt, revokedAt: null });
    expect((await ok(t.app, token, TOKENS)).viewer.accessTokens).toContainEqual({
      id: created.accessToken.id,
      name: 'ci',
      expiresAt,
    });
    expect((await gql(t.app, created.token, VIEWER)).status).toBe(200);

    // Its expiry passes: it is refused (also where its verification is remembered) and no longer listed.
    const soon = (await ok(t.app, token, CREATE, { name: 'brief', expiresAt: new Date(Date.now() + 1500) }))
      .accessTokenCreate;
    expect((await gql(t.app, soon.token, VIEWER)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const refused = await gql(t.app, soon.token, VIEWER);
    expect([refused.status, codes(refused)]).toEqual([401, ['UNAUTHENTICATED']]);
    expect(await tokenIds(token)).not.toContain(soon.accessToken.id);

    const before = await tokenIds(token);
    const past = (
      await ok(t.app, token, CREATE, { name: 'late', expiresAt: new Date(Date.now() - 60_000).toISOString() })
    ).accessTokenCreate;
    expect(past).toEqual({
      token: null,
      accessToken: null,
      userErrors: [{ code: 'INVALID_INPUT', field: 'expiresAt', message: 'expiresAt must be in the future' }],
    });
    const garbage = await gql(t.app, token, CREATE, { expiresAt: 'next tuesday' });
    expect([garbage.status, codes(garbage)]).toEqual([400, ['BAD_USER_INPUT']]);
    expect(await tokenIds(token)).toEqual(before);
  });

  it(`are capped per account (ACCESS_TOKENS_PER_ACCOUNT=${CAP}): one more is a userError until one is revoked or expires`, async () => {
    const token = await tokenFor(t.services, `cap-${unique()}@example.test`);
    const made: string[] = [];
    for (let i = 1; i < CAP; i++)
      made.push((await ok(t.app, token, CREATE, { name: `t${i}` })).accessTokenCreate.accessToken.id);
    const tokenEvents = async () =>
      (await events(token)).edges.filter((e: { node: { type: string } }) => e.node.type === 'account.token_created')
        .length;
    const createdBefore = await tokenEvents();

    const refused = (await ok(t.app, token, CREATE, { name: 'one too many' })).accessTokenCreate;
    expect(refused.token).toBeNull();
    expect(refused.userErrors).toHaveLength(1);
    expect(refused.userErrors[0].code).toBe('INVALID_STATE');
    expect(refused.userErrors[0].message).toMatch(
      new RegExp(`already has ${CAP} access tokens.*ACCESS_TOKENS_PER_ACCOUNT=${CAP}.*revoke one`),
    );
    expect(await tokenIds(token)).toHaveLength(CAP);
    expect(await tokenEvents()).toBe(createdBefore); // the refused creation recorded nothing

    // A revoked token frees its slot; so does an expired one.
    await ok(t.app, token, REVOKE, { id: made[0] });
    expect((await ok(t.app, token, CREATE, { name: 'after revoke' })).accessTokenCreate.userErrors).toEqual([]);
    await t.orm.em.fork().nativeUpdate(ApiKey, { id: made[1] }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await ok(t.app, token, CREATE, { name: 'after expiry' })).accessTokenCreate.userErrors).toEqual([]);
    expect((await ok(t.app, token, CREATE, { name: 'full again' })).accessTokenCreate.userErrors[0].code).toBe(
      'INVALID_STATE',
    );
  });

  it('concurrent creations never pass the cap', async () => {
    const token = await tokenFor(t.services, `race-${unique()}@example.test`);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => ok(t.app, token, CREATE, { name: `r${i}` })));
    expect(results.filter((r) => r.accessTokenCreate.userErrors.length === 0)).toHaveLength(CAP - 1);
    expect(await tokenIds(token)).toHaveLength(CAP);
  });

  it("are listed and revoked by their account only: another account's token id is NOT_FOUND and keeps working", async () => {
    const aliceEmail = `alice-${unique()}@example.test`;
    const alice = await tokenFor(t.services, aliceEmail);
    const bob = await tokenFor(t.services, `bob-${unique()}@example.test`);
    const [bobsTokenId] = await tokenIds(bob);
    expect(await tokenIds(alice)).not.toContain(bobsTokenId);
    const res = await gql(t.app, alice, REVOKE, { id: bobsTokenId });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect((await gql(t.app, bob, VIEWER)).status).toBe(200);

    // A second root token of the same account (not made by the first, so it outlives it).
    const [alicesTokenId] = await tokenIds(alice);
    const second = await t.services.tokens.create(cliActor(), { email: aliceEmail, name: 'spare' });
    const revoked = (await ok(t.app, second.token, REVOKE, { id: alicesTokenId })).accessTokenRevoke;
    expect(revoked.accessToken.revokedAt).not.toBeNull();
    expect(await tokenIds(second.token)).toEqual([second.apiKey.id]);
    expect((await gql(t.app, alice, VIEWER)).status).toBe(401);
  });
});

describe(`account events (${engineName()})`, () => {
  it('record token creation and revocation with the request id, newest first, in keyset pages with a total', async () => {
    const email = `events-${unique()}@example.test`;
    const token = await tokenFor(t.services, email);
    const [cliTokenId] = await tokenIds(token);
    const created = await withRequestId(token, CREATE, { name: 'laptop', expiresAt: inAnHour() });
    const newId = created.data.accessTokenCreate.accessToken.id;
    const revoked = await withRequestId(token, REVOKE, { id: newId });
    // Revoking twice changes nothing and records nothing.
    await withRequestId(token, REVOKE, { id: newId });

    const all = await events(token);
    expect(all.totalCount).toBe(3);
    expect(
      all.edges.map((e: { node: { type: string; details: Record<string, unknown>; requestId: string | null } }) => [
        e.node.type,
        e.node.details,
        e.node.requestId,
      ]),
    ).toEqual([
      [
        'account.token_revoked',
        { tokenId: newId, name: 'laptop', hint: expect.stringMatching(/^…/), by: 'USER' },
        revoked.requestId,
      ],
      [
        'account.token_created',
        {
          tokenId: newId,
          name: 'laptop',
          hint: expect.stringMatching(/^…/),
          expiresAt: expect.any(String),
          by: 'USER',
          origin: 'access_token',
        },
        created.requestId,
      ],
      [
        'account.token_created',
        {
          tokenId: cliTokenId,
          name: null,
          hint: expect.stringMatching(/^…/),
          expiresAt: null,
          by: 'CLI',
          origin: 'cli',
        },
        null,
      ],
    ]);
    expect(JSON.stringify(all)).not.toContain(created.data.accessTokenCreate.token);

    const first = await events(token, 2);
    expect([first.totalCount, first.edges.length, first.pageInfo.hasNextPage]).toEqual([3, 2, true]);
    const rest = (await ok(t.app, token, EVENTS, { first: 2, after: first.pageInfo.endCursor })).viewer.events;
    expect([rest.edges.length, rest.pageInfo.hasNextPage]).toEqual([1, false]);
    expect([...first.edges, ...rest.edges].map((e: { node: { id: string } }) => e.node.id)).toEqual(
      all.edges.map((e: { node: { id: string } }) => e.node.id),
    );
    const bad = await gql(t.app, token, EVENTS, { first: 2, after: 'not-a-cursor' });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it("never shows another account's events, not even through its cursors", async () => {
    const alice = await tokenFor(t.services, `a-${unique()}@example.test`);
    await ok(t.app, alice, CREATE, { name: 'alice-only' });
    const bob = await tokenFor(t.services, `b-${unique()}@example.test`);
    const alices = await events(alice);
    const bobs = await events(bob);
    expect(bobs.totalCount).toBe(1);
    expect(JSON.stringify(bobs)).not.toContain('alice-only');
    const ids = new Set(alices.edges.map((e: { node: { id: string } }) => e.node.id));
    // Alice's cursor, presented by Bob, pages Bob's own events only.
    const through = (await ok(t.app, bob, EVENTS, { first: 5, after: alices.edges[0].cursor })).viewer.events;
    expect(through.edges.every((e: { node: { id: string } }) => !ids.has(e.node.id))).toBe(true);
    expect(through.totalCount).toBe(1);
  });
});
