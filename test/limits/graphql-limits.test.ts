import { TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { codes, gql, newOrganization } from '../graphql/gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ GRAPHQL_RATE_LIMIT: '4', RATE_LIMIT_WINDOW_SECONDS: '60' });
});
afterAll(() => t.close());

describe(`GraphQL rate limit (${engineName()})`, () => {
  it('answers 429 RATE_LIMITED with Retry-After once a token spends its budget, per token', async () => {
    const a = await newOrganization(t.services);
    const b = await newOrganization(t.services);
    const query = '{ viewer { user { email } } }';
    for (let i = 0; i < 4; i++) expect((await gql(t.app, a.ownerToken, query)).status).toBe(200);
    const limited = await gql(t.app, a.ownerToken, query);
    expect(limited.status).toBe(429);
    expect(codes(limited)).toEqual(['RATE_LIMITED']);
    expect((await gql(t.app, b.ownerToken, query)).status).toBe(200);
    // The counter is keyed by a hash of the credentials, never by the token itself.
    const keys: { key: string }[] = engineName() === 'postgresql' ? await t.orm.em.fork().execute('select key from rate_limit') : [];
    for (const { key } of keys) expect(key).not.toContain(a.ownerToken);
  });
});
