import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { orgFingerprint } from '../helpers/fingerprint';
import { GROUP_SCHEMA, PATCH_SCHEMA, type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';

let t: TestApp;
let a: ScimOrg;
let b: ScimOrg;
let aUser: string;
let aGroup: string;
let bGroup: string;

beforeAll(async () => {
  t = await createTestApp({ SCIM_RATE_LIMIT_PER_SECOND: '1000000', SCIM_RATE_LIMIT_BURST: '1000000' });
  a = await scimOrg(t);
  b = await scimOrg(t);
  aUser = (await scim(t, a).post('/Users', newUser()).expect(201)).body.id;
  aGroup = (
    await scim(t, a)
      .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'A team', members: [{ value: aUser }] })
      .expect(201)
  ).body.id;
  bGroup = (
    await scim(t, b)
      .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'B team' })
      .expect(201)
  ).body.id;
});
afterAll(() => t.close());

const patchBody = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'displayName', value: 'pwned' }] };

describe(`cross-tenant SCIM sweep (${engineName()})`, () => {
  it("refuses B's key on every route of A's URL with the same 401", async () => {
    const before = await orgFingerprint(t.orm, a.orgId);
    const routes: [string, string, unknown?][] = [
      ['get', '/Users'],
      ['post', '/Users', newUser()],
      ['post', '/Users/.search', {}],
      ['get', `/Users/${aUser}`],
      ['put', `/Users/${aUser}`, newUser()],
      ['patch', `/Users/${aUser}`, patchBody],
      ['delete', `/Users/${aUser}`],
      ['get', '/Groups'],
      ['post', '/Groups', { displayName: 'x' }],
      ['post', '/Groups/.search', {}],
      ['get', `/Groups/${aGroup}`],
      ['put', `/Groups/${aGroup}`, { displayName: 'x' }],
      ['patch', `/Groups/${aGroup}`, patchBody],
      ['delete', `/Groups/${aGroup}`],
      ['get', '/ServiceProviderConfig'],
      ['get', '/ResourceTypes'],
      ['get', '/Schemas'],
      ['get', '/Me'],
      ['post', '/Bulk', {}],
    ];
    for (const [method, path, body] of routes) {
      const agent = request(t.app) as unknown as Record<string, (p: string) => request.Test>;
      const req = agent[method](`${a.base}${path}`).set('Authorization', `Bearer ${b.apiKey}`);
      const res =
        body === undefined
          ? await req
          : await req.set('Content-Type', 'application/scim+json').send(JSON.stringify(body));
      expect([method, path, res.status]).toEqual([method, path, 401]);
      expect(res.body.detail).toBe('the SCIM API key is missing, wrong, or SCIM is disabled for this organization');
    }
    expect(await orgFingerprint(t.orm, a.orgId)).toBe(before);
  });

  it("on B's own URL, A's ids do not exist for B", async () => {
    const before = await orgFingerprint(t.orm, a.orgId);
    const sb = scim(t, b);
    await sb.get(`/Users/${aUser}`).expect(404);
    await sb.put(`/Users/${aUser}`, newUser()).expect(404);
    await sb.patch(`/Users/${aUser}`, patchBody).expect(404);
    await sb.delete(`/Users/${aUser}`).expect(404);
    await sb.get(`/Groups/${aGroup}`).expect(404);
    await sb.put(`/Groups/${aGroup}`, { displayName: 'x' }).expect(404);
    await sb.patch(`/Groups/${aGroup}`, patchBody).expect(404);
    await sb.delete(`/Groups/${aGroup}`).expect(404);
    const byId = await sb.get(`/Users?filter=${encodeURIComponent(`id eq "${aUser}"`)}`).expect(200);
    expect(byId.body.totalResults).toBe(0);
    const groupsWithA = await sb.get(`/Groups?filter=${encodeURIComponent(`members eq "${aUser}"`)}`).expect(200);
    expect(groupsWithA.body.totalResults).toBe(0);
    // A's member cannot be put into B's group: its id is skipped like any id that names no member of B.
    await sb
      .patch(`/Groups/${bGroup}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: [{ value: aUser }] }],
      })
      .expect(204);
    expect((await sb.get(`/Groups/${bGroup}`).expect(200)).body.members ?? []).not.toContainEqual(
      expect.objectContaining({ value: aUser }),
    );
    const steal = await sb
      .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'steal', members: [{ value: aUser }] })
      .expect(201);
    expect(steal.body.members ?? []).toEqual([]);
    expect(await orgFingerprint(t.orm, a.orgId)).toBe(before);
  });

  it('keeps filter values out of the SQL text (injection strings find nothing and break nothing)', async () => {
    const before = await orgFingerprint(t.orm, a.orgId);
    for (const value of [
      `x' or '1'='1`,
      `x"); drop table member; --`,
      `%`,
      `_`,
      `\\`,
      `' union select * from api_key --`,
    ]) {
      const filter = `userName eq ${JSON.stringify(value)} or displayName co ${JSON.stringify(value)}`;
      const res = await scim(t, a).get(`/Users?filter=${encodeURIComponent(filter)}`);
      expect([value, res.status]).toEqual([value, 200]);
      expect(res.body.totalResults).toBe(0);
    }
    expect(await orgFingerprint(t.orm, a.orgId)).toBe(before);
  });
});
