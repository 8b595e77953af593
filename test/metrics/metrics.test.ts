import { networkInterfaces } from 'node:os';
import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { childEnv, freePort, httpGet, startServer, tempDir } from '../helpers/processes';
import { newUser, scim, scimOrg } from '../helpers/scim';
import { unique } from '../helpers/factories';
import { CONSOLE_OPERATIONS } from '../../src/http/console-operations';

const TOKEN = 'metrics-token-0123456789abcdef';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format (version 0.0.4): `name{label="value",...} number` per line. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

const find = (samples: Sample[], name: string, labels: Record<string, string>): Sample | undefined =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('GET /metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t.close());

  it('refuses a scrape without the token or with another one', async () => {
    expect((await request(t.app).get('/metrics')).status).toBe(401);
    const wrong = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain(TOKEN);
  });

  it('counts a SCIM and a GraphQL request by route template, provider and operation, never by organization', async () => {
    const o = await scimOrg(t);
    const client = scim(t, o);
    expect((await client.get('/Users?count=1').set('User-Agent', 'JumpCloud-SCIM/1.0')).status).toBe(200);
    expect((await client.post('/Users', newUser()).set('User-Agent', 'JumpCloud-SCIM/1.0')).status).toBe(201);
    expect(
      (await client.get('/Users/7d1a1f0e-5b8c-4c52-9b61-2f3f0f6f0a11').set('User-Agent', 'JumpCloud-SCIM/1.0')).status,
    ).toBe(404);
    const gql = await request(t.app)
      .post('/graphql')
      .set('Authorization', `Bearer ${o.ownerToken}`)
      .send({ operationName: 'Viewer', query: 'query Viewer { viewer { user { email } } }' });
    expect(gql.status).toBe(200);
    expect(gql.body.errors).toBeUndefined();

    const scrape = await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(scrape.text);

    expect(
      find(samples, 'scim_operations_total', {
        provider: 'jumpcloud',
        operation: 'GET /scim/v2/:id/Users',
        outcome: 'success',
      })?.value,
    ).toBe(1);
    expect(
      find(samples, 'scim_operations_total', {
        provider: 'jumpcloud',
        operation: 'POST /scim/v2/:id/Users',
        outcome: 'success',
      })?.value,
    ).toBe(1);
    expect(
      find(samples, 'scim_operations_total', {
        provider: 'jumpcloud',
        operation: 'GET /scim/v2/:id/Users/:id',
        outcome: 'client_error',
      })?.value,
    ).toBe(1);
    expect(
      find(samples, 'http_request_duration_seconds_count', {
        transport: 'scim',
        route: '/scim/v2/:id/Users',
        method: 'POST',
        status: '201',
      })?.value,
    ).toBe(1);
    expect(
      find(samples, 'http_request_duration_seconds_count', {
        transport: 'graphql',
        route: '/graphql',
        method: 'POST',
        status: '200',
      })?.value,
    ).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'graphql_operations_total', { operation: 'Viewer', outcome: 'success' })?.value).toBe(1);
    // The SCIM POST queued an invitation; nothing delivers it in this test.
    expect(find(samples, 'outbox_messages', { status: 'PENDING' })?.value).toBeGreaterThanOrEqual(1);
    expect(find(samples, 'process_resident_memory_bytes', {})?.value).toBeGreaterThan(0);
    if (engineName() === 'postgresql') expect(find(samples, 'db_pool_connections', { state: 'waiting' })).toBeDefined();

    // Cardinality and privacy: no organization id, member id or e-mail reaches a label.
    expect(scrape.text).not.toContain(o.orgId);
    expect(scrape.text).not.toContain('@example.test');
  });

  it("labels GraphQL operations with the console's names only: any other name is other, none is anonymous", async () => {
    const o = await scimOrg(t);
    const before = parseExposition((await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).text);
    const count = (samples: Sample[], operation: string) =>
      find(samples, 'graphql_operations_total', { operation, outcome: 'success' })?.value ?? 0;
    const send = (query: string) =>
      request(t.app).post('/graphql').set('Authorization', `Bearer ${o.ownerToken}`).send({ query });
    const invented = Array.from({ length: 5 }, (_, i) => `ScriptOperation${unique()}${i}`);
    for (const name of [...invented, 'x'.repeat(100)])
      expect((await send(`query ${name} { viewer { user { id } } }`)).status).toBe(200);
    expect((await send('{ viewer { user { id } } }')).status).toBe(200);
    expect((await send('query Organizations { viewer { user { id } } }')).status).toBe(200);

    const after = parseExposition((await request(t.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).text);
    const labels = new Set(after.filter((s) => s.name === 'graphql_operations_total').map((s) => s.labels.operation));
    for (const name of [...invented, 'x'.repeat(100)]) expect(labels.has(name)).toBe(false);
    expect(count(after, 'other') - count(before, 'other')).toBe(6);
    expect(count(after, 'anonymous') - count(before, 'anonymous')).toBe(1);
    expect(count(after, 'Organizations') - count(before, 'Organizations')).toBe(1);
    for (const label of labels) expect(['other', 'anonymous', ...CONSOLE_OPERATIONS]).toContain(label);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is not served: metrics are off by default', async () => {
    expect(t.metrics).toBeNull();
    expect((await request(t.app).get('/metrics')).status).toBe(404);
  });
});

/** An IPv4 address of this machine other than loopback, if it has one. */
const nonLoopbackAddress = (): string | undefined =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('METRICS_PORT', () => {
  it('serves /metrics on a port of its own, on 127.0.0.1, without a token, and not on the main port', async () => {
    const metricsPort = await freePort();
    const server = await startServer(
      childEnv({
        DATABASE_URL: 'pglite://memory',
        DATA_DIR: tempDir('orgd-metrics'),
        METRICS_PORT: String(metricsPort),
        HOST: '0.0.0.0',
      }),
    );
    try {
      // The main port listens on every interface; the unguarded metrics port on loopback only (METRICS_HOST unset).
      expect(server.output()).toMatch(/"port":\d+,"host":"127\.0\.0\.1","msg":"metrics listening"/);
      const outside = nonLoopbackAddress();
      if (outside) await expect(fetch(`http://${outside}:${metricsPort}/metrics`)).rejects.toThrow();
      expect(await httpGet(server.port, '/metrics')).toBe(404);
      expect(await httpGet(server.port, '/healthz')).toBe(200);
      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(res.status).toBe(200);
      const samples = parseExposition(await res.text());
      expect(
        find(samples, 'http_request_duration_seconds_count', {
          transport: 'health',
          route: '/healthz',
          method: 'GET',
          status: '200',
        })?.value,
      ).toBe(1);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});
