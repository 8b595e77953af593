import http from 'node:http';
import { type TestApp, createTestApp, listening } from '../helpers/app';
import { engineName } from '../helpers/db';
import { type ScimOrg, scimOrg } from '../helpers/scim';

// The defaults, as an operator who sets nothing gets them.
let t: TestApp;
let server: { port: number; close: () => Promise<void> };
beforeAll(async () => {
  t = await createTestApp();
  server = await listening(t.app);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

/** One list request on a connection of its own (as spread-out IdP calls would come); its status. */
function list(o: ScimOrg): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: `${o.base}/Users?count=1`,
        agent: false,
        headers: { authorization: `Bearer ${o.apiKey}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe(`SCIM default limit (${engineName()})`, () => {
  it("sustains 25 requests/s for 20 s on one organization (Microsoft Entra's requirement) without a 429", async () => {
    const o = await scimOrg(t);
    const statuses: Promise<number>[] = [];
    const started = Date.now();
    // Open loop: one request every 40 ms on schedule, whether or not the earlier ones have been answered.
    for (let i = 0; i < 500; i++) {
      const due = started + i * 40;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      statuses.push(list(o));
    }
    const answered = await Promise.all(statuses);
    expect(answered.filter((s) => s === 429)).toHaveLength(0);
    expect(answered.every((s) => s === 200)).toBe(true);
  }, 120_000);

  it('gives an organization a bucket of at least 200 requests at once, and a sustained 50/s', async () => {
    const o = await scimOrg(t);
    // The counters themselves (the shared store on PostgreSQL): 200 at once pass, what exceeds bucket and refill does not.
    const results = await Promise.allSettled(Array.from({ length: 400 }, () => t.rateLimits.scim.consume(o.orgId)));
    const passed = results.filter((r) => r.status === 'fulfilled').length;
    expect(passed).toBeGreaterThanOrEqual(200);
    expect(passed).toBeLessThan(400);
    // A second later the next 50 pass.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const next = await Promise.allSettled(Array.from({ length: 50 }, () => t.rateLimits.scim.consume(o.orgId)));
    expect(next.filter((r) => r.status === 'rejected')).toHaveLength(0);
  });
});
