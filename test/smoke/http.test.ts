import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe(`HTTP skeleton (${engineName()})`, () => {
  it('answers liveness and readiness', async () => {
    await request(t.app).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(t.app).get('/readyz').expect(200);
    expect(ready.body.status).toBe('ok');
  });

  it("gives every response the server's own request id, whatever the client sent", async () => {
    // The client's id is kept beside it (audit events: clientRequestId), never instead of it.
    const res = await request(t.app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await request(t.app).get('/healthz').set('X-Request-Id', 'bad id\twith spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with JSON 404 and sets security headers', async () => {
    const res = await request(t.app).get('/nope').expect(404);
    expect(res.body.error.status).toBe(404);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('reports 503 on /readyz when the database does not answer', async () => {
    const t2 = await createTestApp();
    await t2.db.drop();
    const res = await request(t2.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.database).toBe('down');
  });
});
