import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { type App, createApp } from '../../src/app';
import { type TestApp, createTestApp } from '../helpers/app';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let t: TestApp;
let dir: string;
let empty: string;
let unbuilt: App;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orgd-console-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), INDEX);
  await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("console")');
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  empty = await mkdtemp(path.join(tmpdir(), 'orgd-console-empty-'));
  t = await createTestApp({}, { consoleDir: dir });
  unbuilt = await createApp(t, { consoleDir: empty });
});

afterAll(async () => {
  await unbuilt.stop();
  await t.close();
  await rm(dir, { recursive: true, force: true });
  await rm(empty, { recursive: true, force: true });
});

describe('the console served by the API server', () => {
  it('serves index.html at / with no-cache', async () => {
    const res = await request(t.app).get('/').set('accept', HTML);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(INDEX);
  });

  it('serves hashed assets as immutable for a year', async () => {
    const res = await request(t.app).get('/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers a missing asset with a 404, never with index.html', async () => {
    const res = await request(t.app).get('/assets/index-gone.js').set('accept', '*/*');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('<html');
  });

  it('serves top-level build files with revalidation', async () => {
    const res = await request(t.app).get('/favicon.svg');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it.each(['/invitations/accept?token=inv_abc', '/sign-in/link?token=x', '/organizations/123/members', '/sign-in'])(
    'falls back to index.html for the client-side route %s',
    async (route) => {
      const res = await request(t.app).get(route).set('accept', HTML);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toBe(INDEX);
    },
  );

  it.each(['/graphql', '/scim/v2/Users', '/auth/whatever', '/metrics', '/healthz/x'])(
    'never falls back for the API path %s',
    async (route) => {
      const res = await request(t.app).get(route).set('accept', HTML);
      expect(res.text).not.toBe(INDEX);
    },
  );

  it('does not answer API clients (no text/html in Accept) with the page', async () => {
    const res = await request(t.app).get('/no/such/route').set('accept', 'application/json');
    expect(res.status).toBe(404);
    expect(res.body.error.status).toBe(404);
  });

  it('sends a content security policy that allows the console and nothing foreign', async () => {
    const res = await request(t.app).get('/').set('accept', HTML);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).not.toContain('upgrade-insecure-requests'); // PUBLIC_URL is http in the tests
  });

  it('without a built console, / says how to build it (plain text 404)', async () => {
    for (const accept of [HTML, '*/*']) {
      const res = await request(unbuilt.app).get('/').set('accept', accept);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/text\/plain/);
      expect(res.text).toContain('npm run build:web');
    }
  });
});
