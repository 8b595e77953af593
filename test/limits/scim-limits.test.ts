import request from 'supertest';
import pino from 'pino';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { TestApp, createTestApp } from '../helpers/app';
import { engineName, testConfig } from '../helpers/db';
import { scim, scimOrg } from '../helpers/scim';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ SCIM_RATE_LIMIT: '5', RATE_LIMIT_WINDOW_SECONDS: '60' });
});
afterAll(() => t.close());

describe(`SCIM limits (${engineName()})`, () => {
  it('answers 429 with Retry-After and a SCIM body once an organization spends its budget, per organization', async () => {
    const a = await scimOrg(t);
    const b = await scimOrg(t);
    for (let i = 0; i < 5; i++) await scim(t, a).get('/Users?count=1').expect(200);
    const limited = await scim(t, a).get('/Users?count=1').expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ status: '429', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    await scim(t, b).get('/Users?count=1').expect(200);
  });

  it('shares the budget between two instances of the service on one database', async () => {
    if (engineName() !== 'postgresql') return; // PGlite is one process by design: memory is the store.
    const second = createContainer(testConfig({ SCIM_RATE_LIMIT: '5' }), t.orm, pino({ level: 'silent' }), { kind: 'postgres', url: t.db.url, dataDir: '' });
    const { app: app2, stop } = await createApp(second);
    try {
      const o = await scimOrg(t);
      const auth = `Bearer ${o.apiKey}`;
      for (let i = 0; i < 3; i++) await request(t.app).get(`${o.base}/Users?count=1`).set('Authorization', auth).expect(200);
      for (let i = 0; i < 2; i++) await request(app2).get(`${o.base}/Users?count=1`).set('Authorization', auth).expect(200);
      await request(app2).get(`${o.base}/Users?count=1`).set('Authorization', auth).expect(429);
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
