import request from 'supertest';
import { loadConfig } from '../../src/config';
import { type TestApp, createTestApp } from '../helpers/app';
import { unique } from '../helpers/factories';
import { tokenFor } from '../graphql/gql';

const VIEWER = '{ viewer { user { email } } }';

let unset: TestApp;
let explicit: TestApp;

beforeAll(async () => {
  // An empty PUBLIC_URL is unset: the console is http://localhost:4000 (PORT's default).
  unset = await createTestApp({ PUBLIC_URL: '' });
  explicit = await createTestApp({ PUBLIC_URL: 'http://localhost:4000' });
});

afterAll(async () => {
  await unset.close();
  await explicit.close();
});

const signIn = (t: TestApp, token: string, origin: string) =>
  request(t.app).post('/auth/token').set('content-type', 'application/json').set('origin', origin).send({ token });

const sessionCookie = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('orgd_session='))
    ?.split(';')[0];

const viewer = (t: TestApp, cookie: string, origin: string) =>
  request(t.app)
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('origin', origin)
    .set('cookie', cookie)
    .send({ query: VIEWER });

describe('the console opened at a loopback address', () => {
  it('knows whether PUBLIC_URL was set', () => {
    expect(loadConfig({} as NodeJS.ProcessEnv).PUBLIC_URL_SET).toBe(false);
    expect(loadConfig({ PUBLIC_URL: ' ' } as NodeJS.ProcessEnv).PUBLIC_URL_SET).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:4000' } as NodeJS.ProcessEnv).PUBLIC_URL_SET).toBe(true);
  });

  it.each(['http://localhost:4000', 'http://127.0.0.1:4000', 'http://[::1]:4000'])(
    'without PUBLIC_URL, signs in from %s and the session cookie counts from there',
    async (origin) => {
      const email = `loop-${unique()}@example.test`;
      const res = await signIn(unset, await tokenFor(unset.services, email), origin);
      expect(res.status).toBe(200);
      const cookie = sessionCookie(res)!;
      const me = await viewer(unset, cookie, origin);
      expect(me.status).toBe(200);
      expect(me.body.data.viewer.user.email).toBe(email);
    },
  );

  it('without PUBLIC_URL, still refuses another port or host', async () => {
    const token = await tokenFor(unset.services, `loop-${unique()}@example.test`);
    for (const origin of ['http://127.0.0.1:5000', 'http://localhost.evil.example:4000', 'https://127.0.0.1:4000']) {
      const res = await signIn(unset, token, origin);
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        code: 'FORBIDDEN_ORIGIN',
        message: 'Requests must come from http://localhost:4000.',
      });
    }
    const cookie = sessionCookie(await signIn(unset, token, 'http://localhost:4000'))!;
    expect((await viewer(unset, cookie, 'http://127.0.0.1:5000')).status).toBe(401);
  });

  it('with PUBLIC_URL set, accepts its origin only', async () => {
    const token = await tokenFor(explicit.services, `exact-${unique()}@example.test`);
    const refused = await signIn(explicit, token, 'http://127.0.0.1:4000');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN_ORIGIN');
    const own = await signIn(explicit, token, 'http://localhost:4000');
    expect(own.status).toBe(200);
    const cookie = sessionCookie(own)!;
    expect((await viewer(explicit, cookie, 'http://localhost:4000')).status).toBe(200);
    expect((await viewer(explicit, cookie, 'http://127.0.0.1:4000')).status).toBe(401);
  });
});
