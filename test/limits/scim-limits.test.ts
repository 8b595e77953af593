import request from 'supertest';
import pino from 'pino';
import { type Container, createContainer } from '../../src/container';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName, testConfig } from '../helpers/db';
import { type ScimOrg, scim, scimOrg } from '../helpers/scim';

// A bucket of 30 that refills slowly (1 request/s, and the burst allowance over 30 s): requests sent as fast as the
// machine can outrun the refill, however loaded it is.
const LIMITS = { SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: '30' };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(LIMITS);
});
afterAll(() => t.close());

/** `n` concurrent list requests; how many got 200, how many something else than 200 or 429, and one 429 if any. */
async function burst(o: ScimOrg, n: number) {
  const responses = await Promise.all(Array.from({ length: n }, () => scim(t, o).get('/Users?count=1')));
  const ok = responses.filter((r) => r.status === 200).length;
  const rejection = responses.find((r) => r.status === 429);
  return { ok, other: responses.filter((r) => r.status !== 200 && r.status !== 429).length, rejection };
}

describe(`SCIM limits (${engineName()})`, () => {
  it('takes a burst up to the bucket size, then answers 429 with Retry-After and a SCIM body, per organization', async () => {
    const a = await scimOrg(t);
    const b = await scimOrg(t);
    // The whole bucket passes at once, far above the sustained 1 request/s.
    expect(await burst(a, 30)).toMatchObject({ ok: 30, other: 0 });
    // Then what exceeds the refill is refused (the limit of 1,200 a minute before the token bucket never was).
    let rejection: Awaited<ReturnType<typeof burst>>['rejection'];
    for (let sent = 30; !rejection && sent < 400; sent += 20) {
      const next = await burst(a, 20);
      expect(next.other).toBe(0);
      rejection = next.rejection;
    }
    expect(rejection?.status).toBe(429);
    expect(Number(rejection!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(rejection!.body).toMatchObject({
      status: '429',
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      detail: expect.stringMatching(/too many requests/),
    });
    await scim(t, b).get('/Users?count=1').expect(200);
  });

  it('shares the bucket between two instances of the service on one database', async () => {
    if (engineName() !== 'postgresql') return; // PGlite is one process by design: memory is the store.
    const second = createContainer(testConfig(LIMITS), t.orm, pino({ level: 'silent' }), {
      kind: 'postgres',
      url: t.db.url,
      dataDir: '',
    });
    try {
      const o = await scimOrg(t);
      const spend = async (container: Container, n: number) =>
        (await Promise.allSettled(Array.from({ length: n }, () => container.rateLimits.scim.consume(o.orgId)))).filter(
          (r) => r.status === 'fulfilled',
        ).length;
      // 25 + 25 > 30: the second instance runs out only if it sees what the first one spent.
      expect(await spend(t, 25)).toBe(25);
      expect(await spend(second, 25)).toBeLessThan(25);
    } finally {
      await second.rateLimits.close();
    }
  });

  it('holds one budget within 10 % across three instances that count in memory and share in batches', async () => {
    if (engineName() !== 'postgresql') return;
    const budget = 150;
    const bucket = { SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: String(budget) };
    const target = { kind: 'postgres' as const, url: t.db.url, dataDir: '' };
    const instances = [0, 1, 2].map(() =>
      createContainer(testConfig(bucket), t.orm, pino({ level: 'silent' }), target),
    );
    try {
      const o = await scimOrg(t);
      let accepted = 0;
      let next = 0;
      // Eight clients, each request to the next instance in turn (a round-robin proxy), three times the budget.
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < budget * 3) {
            const instance = instances[next++ % 3];
            try {
              await instance.rateLimits.scim.consume(o.orgId);
              accepted++;
            } catch {
              // refused: over budget
            }
          }
        }),
      );
      expect(accepted).toBeGreaterThanOrEqual(budget);
      expect(accepted).toBeLessThanOrEqual(budget * 1.1);
    } finally {
      await Promise.all(instances.map((c) => c.rateLimits.close()));
    }
  });

  it('refuses an oversized body with 413 and a SCIM error, and malformed JSON with 400 invalidSyntax', async () => {
    const o = await scimOrg(t);
    const big = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'big@example.test',
      displayName: 'x'.repeat(1_200_000),
    };
    const res = await scim(t, o).post('/Users', big).expect(413);
    expect(res.body).toMatchObject({ status: '413' });
    const bad = await request(t.app)
      .post(`${o.base}/Users`)
      .set('Authorization', `Bearer ${o.apiKey}`)
      .set('Content-Type', 'application/scim+json')
      .send('{"userName":');
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidSyntax');
  });
});
