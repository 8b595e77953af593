import request from 'supertest';
import { MemberStatus } from '../../src/domain/enums';
import { Member, OutboxMessage } from '../../src/entities';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { PATCH_SCHEMA, type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
});
afterAll(() => t.close());

describe(`SCIM Users (${engineName()})`, () => {
  it('creates a user as an INVITED member with an invitation, 201 + Location + ETag', async () => {
    const body = newUser(undefined, { externalId: `ext-${unique()}`, password: 'S3cret!pass' });
    const res = await scim(t, o).post('/Users', body).expect(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.headers.location).toBe(`http://orgd.test${o.base}/Users/${res.body.id}`);
    expect(res.headers.etag).toBe(res.body.meta.version);
    expect(res.body).toMatchObject({
      userName: body.userName,
      active: true,
      externalId: body.externalId,
      meta: { resourceType: 'User' },
    });
    expect(JSON.stringify(res.body)).not.toContain('S3cret');
    const em = t.orm.em.fork();
    const member = await em.findOneOrFail(Member, res.body.id);
    expect(member.status).toBe(MemberStatus.INVITED);
    expect(await em.count(OutboxMessage, { memberId: member.id })).toBe(1);
  });

  it('finds by userName case-insensitively and answers an empty list for no match', async () => {
    const body = newUser();
    const created = await scim(t, o).post('/Users', body).expect(201);
    const found = await scim(t, o)
      .get(`/Users?filter=${encodeURIComponent(`userName eq "${body.userName.toUpperCase()}"`)}`)
      .expect(200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(created.body.id);
    const none = await scim(t, o)
      .get(`/Users?filter=${encodeURIComponent('userName eq "nobody@example.test"')}`)
      .expect(200);
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('answers 409 uniqueness for a duplicate and 400 invalidFilter for a bad filter', async () => {
    const body = newUser();
    await scim(t, o).post('/Users', body).expect(201);
    const dup = await scim(t, o).post('/Users', body).expect(409);
    expect(dup.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const bad = await scim(t, o)
      .get(`/Users?filter=${encodeURIComponent('nosuch eq "x"')}`)
      .expect(400);
    expect(bad.body.scimType).toBe('invalidFilter');
  });

  it('deactivates with PATCH active=false ("False" string too), reactivates, deletes', async () => {
    const created = await scim(t, o).post('/Users', newUser()).expect(201);
    const id = created.body.id;
    const off = await scim(t, o)
      .patch(`/Users/${id}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      })
      .expect(200);
    expect(off.body.active).toBe(false);
    const on = await scim(t, o)
      .patch(`/Users/${id}`, { Operations: [{ op: 'replace', value: { active: true } }] })
      .expect(200);
    expect(on.body.active).toBe(true);
    await scim(t, o).delete(`/Users/${id}`).expect(204);
    await scim(t, o).get(`/Users/${id}`).expect(404);
  });

  it("refuses a wrong key, another organization's key and a missing org alike with 401", async () => {
    const other = await scimOrg(t);
    for (const [path, key] of [
      [`${o.base}/Users`, 'wrong'],
      [`${o.base}/Users`, other.apiKey],
      [`/scim/v2/00000000-0000-4000-8000-000000000000/Users`, o.apiKey],
    ]) {
      const res = await request(t.app).get(path).set('Authorization', `Bearer ${key}`).expect(401);
      expect(res.body).toMatchObject({ status: '401', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
    }
  });
});
