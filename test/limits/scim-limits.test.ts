import { Express } from 'express';
import request from 'supertest';
import pino from 'pino';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { TestApp, createTestApp } from '../helpers/app';
import { engineName, testConfig } from '../helpers/db';
import { ScimOrg, scim, scimOrg } from '../helpers/scim';

// A bucket of 30 that refills at 1 request/s: a test's burst of requests outruns the refill whatever the machine's speed.
const LIMITS = { SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: '30' };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(LIMITS);
});
afterAll(() => t.close());

/** `n` concurrent list requests on `app`; their statuses, and one 429 response when there was any. */
async function burst(app: Express, o: ScimOrg, n: number) {
  const responses = await Promise.all(Array.from({ length: n }, () => request(app).get(`${o.base}/Users?count=1`).set('Authorization', `Bearer ${o.apiKey}`)));
  const count = (status: number) => responses.filter((r) => r.status === status).length;
  return { ok: count(200), limited: count(429), other: responses.length - count(200) - count(429), rejection: responses.find((r) => r.status === 429) };
}

describe(`SCIM limits (${engineName()})`, () => {
  it('takes a burst up to the bucket size, then answers 429 with Retry-After and a SCIM body, per organization', async () => {
    const a = await scimOrg(t);
    const b = await scimOrg(t);
    const result = await burst(t.app, a, 45);
    // The whole bucket passes at once (far above the 1/s sustained rate); what exceeds it and its refill is refused.
    expect(result.other).toBe(0);
    expect(result.ok).toBeGreaterThanOrEqual(30);
    expect(result.limited).toBeGreaterThanOrEqual(1);
    const limited = result.rejection!;
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ status: '429', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: expect.stringMatching(/too many requests/) });
    await scim(t, b).get('/Users?count=1').expect(200);
  });

  it('shares the bucket between two instances of the service on one database', async () => {
    if (engineName() !== 'postgresql') return; // PGlite is one process by design: memory is the store.
    const second = createContainer(testConfig(LIMITS), t.orm, pino({ level: 'silent' }), { kind: 'postgres', url: t.db.url, dataDir: '' });
    const { app: app2, stop } = await createApp(second);
    try {
      const o = await scimOrg(t);
      // 25 + 25 > 30: the second instance runs out only if it sees what the first one spent.
      const first = await burst(t.app, o, 25);
      expect(first.ok).toBe(25);
      const then = await burst(app2, o, 25);
      expect(then.other).toBe(0);
      expect(then.limited).toBeGreaterThanOrEqual(1);
    } finally {
      await stop();
      await second.rateLimits.close();
    }
  });

  it('refuses an oversized body with 413 and a SCIM error, and malformed JSON with 400 invalidSyntax', async () => {
    const o = await scimOrg(t);
    const big = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'big@example.test', displayName: 'x'.repeat(1_200_000) };
    const res = await scim(t, o).post('/Users', big).expect(413);
    expect(res.body).toMatchObject({ status: '413' });
    const bad = await request(t.app).post(`${o.base}/Users`).set('Authorization', `Bearer ${o.apiKey}`).set('Content-Type', 'application/scim+json').send('{"userName":');
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidSyntax');
  });
});
