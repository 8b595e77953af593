/**
 * The access log: one line per request at `info` with the request (method, path without its query string, id), the
 * status and the response time; probes unlogged; nothing at all when the level is above `info`.
 */
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { cliActor } from '../../src/domain/actor';
import { createLogger } from '../../src/logger';
import { type TestDatabase, createTestDatabase, engineName, testConfig } from '../helpers/db';

interface AccessLine {
  level: number;
  msg: string;
  req: { method: string; path: string; id: string };
  res: { statusCode: number };
  responseTime: number;
}

describe(`access log (${engineName()})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  /** The app with the production logger at `level`, writing into `lines`. */
  async function appLoggingAt(level: string, lines: string[]) {
    const sink = new Writable({
      write: (chunk, _enc, cb) => {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        cb();
      },
    });
    const target = db.url.startsWith('pglite') ? undefined : { kind: 'postgres' as const, url: db.url, dataDir: '' };
    const container = createContainer(testConfig({ LOG_LEVEL: level }), db.orm, createLogger(level, sink), target);
    const { app, stop } = await createApp(container);
    return {
      app,
      container,
      close: async () => {
        await stop();
        await container.rateLimits.close();
      },
    };
  }

  const accessLines = (lines: string[]): AccessLine[] =>
    lines.map((l) => JSON.parse(l) as AccessLine & { msg?: string }).filter((l) => l.msg === 'request completed');

  it('writes one line per request at info, with the route and never the query string', async () => {
    const lines: string[] = [];
    const { app, container, close } = await appLoggingAt('info', lines);
    try {
      const { organization } = await container.services.organizations.create(cliActor(), {
        name: 'Access log',
        ownerEmail: 'owner@access-log.test',
      });
      const { apiKey } = await container.services.scimSettings.enable(cliActor(), organization.id, {});
      const lookup = await request(app)
        .get(`/scim/v2/${organization.id}/Users?filter=${encodeURIComponent('userName eq "private@person.test"')}`)
        .set('Authorization', `Bearer ${apiKey}`)
        .expect(200);
      const missing = await request(app).get('/no/such/page.json').expect(404);
      const refused = await request(app).get(`/scim/v2/${organization.id}/Users`).expect(401);
      await request(app).get('/healthz').expect(200);
      await new Promise((resolve) => setImmediate(resolve));

      const logged = accessLines(lines);
      expect(logged).toHaveLength(3);
      const byId = new Map(logged.map((l) => [l.req.id, l]));
      const expected: [request.Response, string, number][] = [
        [lookup, `/scim/v2/${organization.id}/Users`, 200],
        [missing, '/no/such/page.json', 404],
        [refused, `/scim/v2/${organization.id}/Users`, 401],
      ];
      for (const [res, path, statusCode] of expected) {
        const line = byId.get(res.headers['x-request-id']);
        expect(line).toMatchObject({ level: 30, req: { method: 'GET', path }, res: { statusCode } });
        expect(typeof line?.responseTime).toBe('number');
      }
      expect(lines.join('\n')).not.toContain('private@person.test');
      expect(lines.join('\n')).not.toContain('healthz');
    } finally {
      await close();
    }
  });

  it('writes nothing per request above info', async () => {
    const lines: string[] = [];
    const { app, close } = await appLoggingAt('warn', lines);
    try {
      await request(app).get('/no/such/page.json').expect(404);
      await new Promise((resolve) => setImmediate(resolve));
      expect(accessLines(lines)).toHaveLength(0);
    } finally {
      await close();
    }
  });
});
