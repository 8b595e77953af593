import request from 'supertest';
import pino from 'pino';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { cliActor } from '../../src/domain/actor';
import { UNAVAILABLE_MESSAGE } from '../../src/domain/errors';
import { type Orm, openOrm } from '../../src/db';
import { type TestDatabase, createTestDatabase, engineName, testConfig } from '../helpers/db';
import { TcpProxy } from '../helpers/tcp-proxy';

const onPostgres = engineName() === 'postgresql';
const suite = onPostgres ? describe : describe.skip;
if (!onPostgres) console.log('db-outage: skipped on PGlite (an embedded database cannot go away); runs on PostgreSQL');

suite('database outage (postgresql)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let orm: Orm;
  let app: Awaited<ReturnType<typeof createApp>>;
  let container: ReturnType<typeof createContainer>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const url = new URL(db.url);
    proxy = new TcpProxy(url.hostname, Number(url.port || 5432));
    url.port = String(await proxy.start());
    // The service talks to PostgreSQL only through the proxy.
    orm = await openOrm({ kind: 'postgres', url: url.toString(), dataDir: '' }, { max: 5 });
    container = createContainer(testConfig(), orm, pino({ level: 'silent' }), {
      kind: 'postgres',
      url: url.toString(),
      dataDir: '',
    });
    app = await createApp(container);
  });
  afterAll(async () => {
    await app?.stop();
    await container?.rateLimits.close();
    await orm?.close(true);
    await proxy?.cut();
    await db?.drop();
  });

  it('fails fast with 503 while the database is away, says so on /readyz, and recovers by itself', async () => {
    const created = await container.services.organizations.create(cliActor(), {
      name: 'Outage',
      ownerEmail: 'owner@outage.test',
    });
    const orgId = created.organization.id;
    const { apiKey } = await container.services.scimSettings.enable(cliActor(), orgId, {});
    const users = () =>
      request(app.app).get(`/scim/v2/${orgId}/Users?count=1`).set('Authorization', `Bearer ${apiKey}`);
    await users().expect(200);

    await proxy.cut();
    const started = Date.now();
    const during = await Promise.all([users(), users(), users()]);
    const elapsed = Date.now() - started;
    for (const res of during) {
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '503',
        detail: UNAVAILABLE_MESSAGE,
      });
    }
    expect(elapsed).toBeLessThan(8000);
    // Without a key the answer is still 503, not 401: the key could not be checked at all.
    expect((await request(app.app).get(`/scim/v2/${orgId}/Users`)).status).toBe(503);
    const graphql = await request(app.app)
      .post('/graphql')
      .set('Authorization', `Bearer ${created.ownerToken}`)
      .send({ query: '{ viewer { user { email } } }' });
    expect(graphql.status).toBe(503);
    expect(graphql.body).toEqual({
      errors: [{ message: UNAVAILABLE_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'UNAVAILABLE' } }],
    });
    const signIn = await request(app.app).post('/auth/token').send({ token: created.ownerToken });
    expect([signIn.status, signIn.body]).toEqual([
      503,
      { error: { code: 'SERVICE_UNAVAILABLE', message: UNAVAILABLE_MESSAGE } },
    ]);
    const ready = await request(app.app).get('/readyz');
    expect(ready.status).toBe(503);
    await request(app.app).get('/healthz').expect(200);

    await proxy.restore();
    let recovered = 0;
    for (let i = 0; i < 50 && recovered !== 200; i++) {
      recovered = (await users()).status;
      if (recovered !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(recovered).toBe(200);
    await request(app.app).get('/readyz').expect(200);
  });
});
