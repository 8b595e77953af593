import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { tokenFor } from '../graphql/gql';
import { scimOrg } from '../helpers/scim';

let t: TestApp;
let limited: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  limited = await createTestApp({
    SIGN_IN_RATE_LIMIT: '1',
    AUTH_FAILURE_RATE_LIMIT: '1',
    SCIM_RATE_LIMIT_PER_SECOND: '1',
    SCIM_RATE_LIMIT_BURST: '1',
  });
});

afterAll(async () => {
  await t.close();
  await limited.close();
});

const json = (req: request.Test) => req.set('content-type', 'application/json');

describe(`Cache-Control: no-store on every API answer (${engineName()})`, () => {
  it('on GraphQL answers: success, errors, 401, bad JSON and 429', async () => {
    const token = await tokenFor(t.services, `ns-${unique()}@example.test`);
    const answers = [
      await json(request(t.app).post('/graphql').set('authorization', `Bearer ${token}`)).send({
        query: '{ viewer { user { email } } }',
      }),
      await json(request(t.app).post('/graphql').set('authorization', `Bearer ${token}`)).send({ query: '{ nope }' }),
      await json(request(t.app).post('/graphql')).send({ query: '{ viewer { user { email } } }' }),
      await json(request(t.app).post('/graphql').set('authorization', `Bearer ${token}`)).send('{"query":'),
      await json(request(limited.app).post('/graphql').set('authorization', 'Bearer orgd_wrong')).send({
        query: '{ __typename }',
      }),
      await json(request(limited.app).post('/graphql').set('authorization', 'Bearer orgd_wrong')).send({
        query: '{ __typename }',
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 400, 401, 400, 401, 429]);
    for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('on /auth answers: success, 400, 401, 403, 415, 404, redirects and 429', async () => {
    const token = await tokenFor(t.services, `ns-${unique()}@example.test`);
    const answers = [
      await request(t.app).get('/auth/methods'),
      await json(request(t.app).post('/auth/token')).send({ token }),
      await json(request(t.app).post('/auth/token')).send({}),
      await json(request(t.app).post('/auth/token')).send({ token: 'orgd_wrong' }),
      await json(request(t.app).post('/auth/token').set('origin', 'https://evil.example')).send({ token }),
      await request(t.app).post('/auth/token').set('content-type', 'text/plain').send('x'),
      await request(t.app).get('/auth/nowhere'),
      await request(t.app).get('/auth/oidc/start'),
      await json(request(limited.app).post('/auth/token')).send({ token: 'orgd_wrong' }),
      await json(request(limited.app).post('/auth/token')).send({ token: 'orgd_wrong' }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 400, 401, 403, 415, 404, 302, 401, 429]);
    for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('on SCIM answers: success, 401, 404, 400 and 429', async () => {
    const org = await scimOrg(t);
    const other = await scimOrg(limited);
    const scim = (app: TestApp['app'], path: string, key: string) =>
      request(app).get(path).set('authorization', `Bearer ${key}`);
    const answers = [
      await scim(t.app, `/scim/v2/${org.orgId}/Users`, org.apiKey),
      await scim(t.app, `/scim/v2/${org.orgId}/Users`, 'wrong-key'),
      await scim(t.app, `/scim/v2/${org.orgId}/Users/00000000-0000-4000-8000-000000000000`, org.apiKey),
      await scim(t.app, `/scim/v2/${org.orgId}/Users?filter=${encodeURIComponent('userName xx "a"')}`, org.apiKey),
      await scim(t.app, '/scim/v2/not-an-org/Users', org.apiKey),
      ...(await Promise.all(
        Array.from({ length: 4 }, () => scim(limited.app, `/scim/v2/${other.orgId}/Users`, other.apiKey)),
      )),
    ];
    expect(answers.slice(0, 4).map((r) => r.status)).toEqual([200, 401, 404, 400]);
    expect(answers.map((r) => r.status)).toContain(429);
    for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
  });
});
