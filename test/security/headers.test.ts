import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { tokenFor } from '../graphql/gql';
import { unique } from '../helpers/factories';
import { scimOrg } from '../helpers/scim';

/**
 * The headers every answer carries, API and console alike: the API pipeline sets them from a list computed once,
 * the console through helmet; either way a browser sees the same policy.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' data:;form-action 'self';frame-ancestors 'none';" +
    "img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';" +
    "style-src 'self' 'unsafe-inline';connect-src 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** Per answer, or per request (dates, ids, lengths, counters): listed by name only. */
const VARYING = [
  'date',
  'x-request-id',
  'content-length',
  'connection',
  'keep-alive',
  'location',
  'ratelimit-remaining',
];

let t: TestApp;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orgd-headers-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
  t = await createTestApp({}, { consoleDir: dir });
});

afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every header of an answer: fixed ones with their value, varying ones as `*`. */
function headersOf(res: request.Response): Record<string, string> {
  return Object.fromEntries(
    Object.entries(res.headers as Record<string, string>)
      .map(([name, value]) => [name, VARYING.includes(name) ? '*' : value])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

const SCIM_JSON = 'application/scim+json; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const always = { date: '*', 'x-request-id': '*', 'content-length': '*', connection: '*', ...SECURITY_HEADERS };

describe('the headers of API and console answers', () => {
  it('SCIM: a list, a created user, a resource with its own ETag, and a 401', async () => {
    const org = await scimOrg(t);
    const auth = (r: request.Test, key = org.apiKey) => r.set('authorization', `Bearer ${key}`);
    const created = await auth(request(t.app).post(`/scim/v2/${org.orgId}/Users`))
      .set('content-type', 'application/scim+json')
      .send(
        JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: `h-${unique()}@example.test`,
        }),
      );
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const list = await auth(request(t.app).get(`/scim/v2/${org.orgId}/Users`));
    const one = await auth(request(t.app).get(`/scim/v2/${org.orgId}/Users/${id}`));
    const denied = await auth(request(t.app).get(`/scim/v2/${org.orgId}/Users`), 'nope');

    const scim = { ...always, 'cache-control': 'no-store', 'content-type': SCIM_JSON };
    const counted = { ...scim, 'ratelimit-limit': '50', 'ratelimit-remaining': '*' };
    expect(headersOf(list)).toEqual(counted);
    expect(headersOf(created)).toEqual({ ...counted, etag: created.headers.etag, location: '*' });
    expect(created.headers.etag).toMatch(/^W\/"\d+"$/);
    expect(headersOf(one)).toEqual({ ...counted, etag: one.headers.etag });
    expect(one.headers.etag).toBe(created.headers.etag);
    expect(headersOf(denied)).toEqual({ ...scim, 'www-authenticate': 'Bearer realm="scim"' });
  });

  it('GraphQL: an answer and a 401', async () => {
    const token = await tokenFor(t.services, `h-${unique()}@example.test`);
    const query = (r: request.Test) =>
      r.set('content-type', 'application/json').send({ query: '{ viewer { user { email } } }' });
    const answer = await query(request(t.app).post('/graphql').set('authorization', `Bearer ${token}`));
    const denied = await query(request(t.app).post('/graphql'));

    const graphql = { ...always, 'cache-control': 'no-store', 'content-type': JSON_TYPE };
    expect(headersOf(answer)).toEqual({ ...graphql, 'ratelimit-limit': '600', 'ratelimit-remaining': '*' });
    expect(headersOf(denied)).toEqual({ ...graphql, 'www-authenticate': 'Bearer realm="orgd"' });
  });

  it('/auth and the console page', async () => {
    const methods = await request(t.app).get('/auth/methods');
    const page = await request(t.app).get('/').set('accept', 'text/html');

    expect(headersOf(methods)).toEqual({ ...always, 'cache-control': 'no-store', 'content-type': JSON_TYPE });
    expect(headersOf(page)).toEqual({
      ...always,
      'accept-ranges': 'bytes',
      'cache-control': 'no-cache',
      'content-type': 'text/html; charset=utf-8',
      etag: page.headers.etag,
      'last-modified': page.headers['last-modified'],
    });
  });
});
