import request from 'supertest';
import { type App, createApp } from '../../src/app';
import { ConfigError, loadConfig } from '../../src/config';
import { type TestApp, createTestApp } from '../helpers/app';
import { unique } from '../helpers/factories';
import { tokenFor } from '../graphql/gql';

const FRONTEND = 'https://app.example.com';
const VIEWER = '{ viewer { user { email } } }';

let t: TestApp;
let closed: App;

beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: `${FRONTEND}, http://localhost:5173` });
  closed = await createApp({ ...t, config: { ...t.config, CORS_ORIGINS: [] } });
});

afterAll(async () => {
  await closed.stop();
  await t.close();
});

const preflight = (app: App['app'], origin: string) =>
  request(app)
    .options('/graphql')
    .set('origin', origin)
    .set('access-control-request-method', 'POST')
    .set('access-control-request-headers', 'authorization,content-type');

describe('CORS_ORIGINS on /graphql', () => {
  it('lets a listed origin call /graphql with a bearer token, without credentials', async () => {
    const pre = await preflight(t.app, FRONTEND);
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(pre.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();

    const email = `cors-${unique()}@example.test`;
    const token = await tokenFor(t.services, email);
    const res = await request(t.app)
      .post('/graphql')
      .set('origin', FRONTEND)
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${token}`)
      .send({ query: VIEWER });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(res.body.data.viewer.user.email).toBe(email);
  });

  it('gives an unlisted origin no CORS headers', async () => {
    const pre = await preflight(t.app, 'https://evil.example');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows no origin at all by default', async () => {
    const pre = await preflight(closed.app, FRONTEND);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('ignores the session cookie on a request from another origin (a listed site cannot act with a console session)', async () => {
    const token = await tokenFor(t.services, `cookie-${unique()}@example.test`);
    const signIn = await request(t.app).post('/auth/token').set('content-type', 'application/json').send({ token });
    const cookie = ([] as string[])
      .concat(signIn.headers['set-cookie'])
      .find((c) => c.startsWith('orgd_session='))!
      .split(';')[0];
    const send = (origin?: string) => {
      const req = request(t.app).post('/graphql').set('content-type', 'application/json').set('cookie', cookie);
      if (origin) req.set('origin', origin);
      return req.send({ query: VIEWER });
    };
    expect((await send(FRONTEND)).status).toBe(401);
    expect((await send('http://orgd.test')).status).toBe(200);
    expect((await send()).status).toBe(200);
  });

  it('refuses a malformed CORS_ORIGINS at start-up in one line', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://app.example.com/path' } as NodeJS.ProcessEnv)).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ CORS_ORIGINS: '*' } as NodeJS.ProcessEnv)).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({} as NodeJS.ProcessEnv).CORS_ORIGINS).toEqual([]);
  });
});
