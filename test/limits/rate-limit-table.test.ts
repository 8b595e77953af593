import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';

// The counters live in the `rate_limit` table on PostgreSQL only (PGlite is one process: memory is the store).
const onPostgres = engineName() === 'postgresql' ? describe : describe.skip;

let t: TestApp;
let server: http.Server;
let port: number;
beforeAll(async () => {
  t = await createTestApp({ AUTH_FAILURE_RATE_LIMIT: '5', RATE_LIMIT_WINDOW_SECONDS: '1', TRUST_PROXY: 'loopback' });
  server = http.createServer(t.app);
  // Longer than any pause of a loaded machine: the server must not close a kept-alive socket the client reuses.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

const rows = async (keyLike = '%'): Promise<number> =>
  Number((await t.orm.em.fork().execute('select count(*) as n from rate_limit where key like ?', [keyLike]))[0].n);

const agent = new http.Agent({ keepAlive: true });
const BODY = JSON.stringify({ query: '{ viewer { user { id } } }' });

/** POST /graphql over a kept-alive socket with a made-up token; the status. */
function badRequest(forwardedFor?: string): Promise<number> {
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(BODY)),
    authorization: `Bearer orgd_${randomBytes(24).toString('base64url')}`,
    ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(BODY);
  });
}

onPostgres(`rate-limit counters stay bounded (${engineName()})`, () => {
  it('keeps one row for 2,000 requests with random bad tokens from one address, answering them 401 or 429', async () => {
    const statuses = new Map<number, number>();
    let next = 0;
    let failed = false; // one worker's error stops the others
    const worker = async () => {
      while (next < 2000 && !failed) {
        next++;
        const status = await badRequest();
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker)).catch((err: unknown) => {
      failed = true;
      throw err;
    });
    expect(await rows()).toBe(1);
    expect([...statuses.keys()].sort()).toEqual([401, 429]);
    expect(statuses.get(429)).toBeGreaterThan(1600);
  }, 240_000); // each made-up token is looked up (see authenticateRequest): seconds alone, a minute or more on a loaded machine

  it('deletes the counters of ended windows on the sweeper timer', async () => {
    const ADDRESSES = '%:198.51.100.%';
    for (let i = 1; i <= 20; i++) expect(await badRequest(`198.51.100.${i}`)).toBe(401);
    expect(await rows(ADDRESSES)).toBe(20);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // The windows have ended, but nothing removes their rows until the sweeper runs.
    expect(await rows(ADDRESSES)).toBe(20);
    t.rateLimits.startSweeping(100);
    for (let waited = 0; waited < 5000 && (await rows(ADDRESSES)) > 0; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await rows(ADDRESSES)).toBe(0);
  });
});
