/**
 * Route-level RFC 7644 details: URL tolerance, media types, unsupported endpoints, ETags and If-Match, meta,
 * attribute projection on reads and writes, sorting and paging, .search, the last-owner guard, and the
 * provisioning log.
 */
import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { GROUP_SCHEMA, PATCH_SCHEMA, type ScimOrg, USER_SCHEMA, newUser, scim, scimOrg } from '../helpers/scim';
import { LIST_SCHEMA, expectScimError, fingerprint, provisioningLog, q } from './support';

let t: TestApp;
let o: ScimOrg;
const users: Record<string, any>[] = [];
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
  // Five users with distinct sort keys: userName z.., y.., x.., displayName ascending the other way.
  for (const [i, letter] of ['z', 'y', 'x', 'w', 'v'].entries()) {
    const res = await scim(t, o)
      .post('/Users', newUser(`${letter}-${unique()}@example.test`, { displayName: `Person ${i}` }))
      .expect(201);
    users.push(res.body);
  }
});
afterAll(() => t.close());

const raw = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', url: string) =>
  request(t.app)[method](url).set('Authorization', `Bearer ${o.apiKey}`);

describe(`SCIM routes (${engineName()})`, () => {
  it('tolerates trailing and doubled slashes', async () => {
    for (const url of [
      `${o.base}/Users/`,
      `/scim/v2//${o.orgId}//Users`,
      `/scim/v2/${o.orgId}///Users//`,
      `${o.base}/Users/${users[0].id}/`,
      `/scim/v2/${o.orgId}//Users//${users[0].id}`,
    ]) {
      const res = await raw('get', url).expect(200);
      expect([url, res.headers['content-type']]).toEqual([url, expect.stringMatching(/^application\/scim\+json/)]);
    }
    await raw('get', `${o.base}//ServiceProviderConfig/`).expect(200);
  });

  it('accepts application/json, application/scim+json and no content type; answers application/scim+json', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/scim+json',
      'application/scim+json; charset=utf-8',
    ]) {
      const res = await raw('post', `${o.base}/Users`)
        .set('Content-Type', type)
        .send(JSON.stringify(newUser()))
        .expect(201);
      expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    }
    const bare = await raw('post', `${o.base}/Users`)
      .unset('Content-Type')
      .send(Buffer.from(JSON.stringify(newUser())));
    expect(bare.status).toBe(201);
    const text = await raw('post', `${o.base}/Users`).set('Content-Type', 'text/plain').send(JSON.stringify(newUser()));
    expectScimError(text, 400, 'invalidSyntax');
    expectScimError(
      await raw('post', `${o.base}/Users`).set('Content-Type', 'application/json').send('{"userName": '),
      400,
      'invalidSyntax',
    );
  });

  it('answers /Me and /Bulk with 501 and unknown endpoints or bad escapes with SCIM 4xx', async () => {
    for (const [method, path] of [
      ['get', '/Me'],
      ['patch', '/Me'],
      ['post', '/Bulk'],
      ['get', '/Me/x'],
    ] as const) {
      expectScimError(await raw(method, `${o.base}${path}`).send({}), 501);
    }
    expectScimError(await raw('get', `${o.base}/Nope`), 404);
    expectScimError(await raw('get', `${o.base}/Users/${'x'.repeat(40)}`), 404);
    expectScimError(await raw('get', `${o.base}/Users/%E0%A4%A`), 400);
    // The same in the organization's place, on the lookup and create routes an IdP's sync takes.
    expectScimError(await raw('get', `/scim/v2/%E0%A4%A/Users?filter=${q('userName eq "a"')}`), 400);
    expectScimError(await raw('post', '/scim/v2/%E0%A4%A/Users').send(newUser()), 400);
    // U+0000 cannot be stored or compared by PostgreSQL: 400, in a filter (raw or escaped) and in a body
    expectScimError(await raw('get', `${o.base}/Users?filter=${q('userName eq "a\\u0000b"')}`), 400, 'invalidFilter');
    expectScimError(await raw('get', `${o.base}/Users?filter=${q('userName eq "a\u0000b"')}`), 400, 'invalidFilter');
    expectScimError(
      await raw('post', `${o.base}/Users`).send({ userName: 'a\u0000@example.test' }),
      400,
      'invalidValue',
    );
    expectScimError(await raw('get', `${o.base}/Schemas/urn:nope`), 404);
    expectScimError(await raw('get', `${o.base}/ResourceTypes/Nope`), 404);
  });

  it('returns meta, ETag and Location, and honours If-Match on PUT, PATCH and DELETE of users', async () => {
    const created = await scim(t, o).post('/Users', newUser()).expect(201);
    const { id, meta } = created.body;
    expect(meta).toEqual({
      resourceType: 'User',
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastModified: meta.created,
      location: `http://orgd.test${o.base}/Users/${id}`,
      version: 'W/"1"',
    });
    expect(created.headers).toMatchObject({ etag: 'W/"1"', location: meta.location });
    expect((await scim(t, o).get(`/Users/${id}`).expect(200)).headers.etag).toBe('W/"1"');

    const before = await fingerprint(t);
    const patch = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'displayName', value: 'New' }] };
    for (const stale of ['W/"7"', '"7"', 'garbage']) {
      expectScimError(await scim(t, o).patch(`/Users/${id}`, patch).set('If-Match', stale), 412);
      expectScimError(await scim(t, o).put(`/Users/${id}`, created.body).set('If-Match', stale), 412);
      expectScimError(await scim(t, o).delete(`/Users/${id}`).set('If-Match', stale), 412);
    }
    expect(await fingerprint(t)).toBe(before);

    const patched = await scim(t, o).patch(`/Users/${id}`, patch).set('If-Match', 'W/"1"').expect(200);
    expect(patched.headers.etag).toBe('W/"2"');
    expect(Date.parse(patched.body.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(meta.created));
    const put = await scim(t, o)
      .put(`/Users/${id}`, { ...patched.body, displayName: 'Newer' })
      .set('If-Match', patched.headers.etag)
      .expect(200);
    expect(put.headers.etag).toBe('W/"3"');
    await scim(t, o).patch(`/Users/${id}`, patch).set('If-Match', '*').expect(200);
    const current = await scim(t, o).get(`/Users/${id}`).expect(200);
    await scim(t, o).delete(`/Users/${id}`).set('If-Match', current.headers.etag).expect(204);
    await scim(t, o).get(`/Users/${id}`).expect(404);
  });

  it('keeps the login e-mail when a PUT or PATCH leaves no address (the member must stay reachable)', async () => {
    const email = `keep-${unique()}@example.test`;
    const created = await scim(t, o).post('/Users', newUser(email)).expect(201);
    const put = await scim(t, o)
      .put(`/Users/${created.body.id}`, { schemas: [USER_SCHEMA], userName: `keep-${unique()}`, active: true })
      .expect(200);
    expect(put.body.emails).toEqual([{ value: email, type: 'work', primary: true }]);
    await scim(t, o)
      .patch(`/Users/${created.body.id}`, {
        Operations: [{ op: 'add', path: 'emails', value: [{ value: 'not an address', type: 'home' }] }],
      })
      .expect(200);
    const patched = await scim(t, o)
      .patch(`/Users/${created.body.id}`, { Operations: [{ op: 'remove', path: 'emails' }] })
      .expect(200);
    expect(patched.body.emails).toEqual([{ value: email, type: 'work', primary: true }]);
    // A new user still needs an address: in emails, or as its userName.
    expectScimError(
      await scim(t, o).post('/Users', { schemas: [USER_SCHEMA], userName: `nomail-${unique()}` }),
      400,
      'invalidValue',
    );
  });

  it("returns a group's current ETag on create (with members) and honours If-Match on group writes", async () => {
    const created = await scim(t, o)
      .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `G ${unique()}`, members: [{ value: users[0].id }] })
      .expect(201);
    const read = await scim(t, o).get(`/Groups/${created.body.id}`).expect(200);
    expect(created.headers.etag).toBe(read.headers.etag);
    expect(created.body.meta.version).toBe(read.headers.etag);
    expect(Date.parse(created.body.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(created.body.meta.created));

    const patch = {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'add', path: 'members', value: [{ value: users[1].id }] }],
    };
    expectScimError(await scim(t, o).patch(`/Groups/${created.body.id}`, patch).set('If-Match', 'W/"999"'), 412);
    const patched = await scim(t, o)
      .patch(`/Groups/${created.body.id}`, patch)
      .set('If-Match', created.headers.etag)
      .expect(204);
    expectScimError(
      await scim(t, o).put(`/Groups/${created.body.id}`, { displayName: 'X' }).set('If-Match', created.headers.etag),
      412,
    );
    const put = await scim(t, o)
      .put(`/Groups/${created.body.id}`, { displayName: 'X', members: [] })
      .set('If-Match', patched.headers.etag)
      .expect(200);
    expectScimError(await scim(t, o).delete(`/Groups/${created.body.id}`).set('If-Match', patched.headers.etag), 412);
    await scim(t, o).delete(`/Groups/${created.body.id}`).set('If-Match', put.headers.etag).expect(204);
  });

  it('applies attributes / excludedAttributes to lists, single reads and write responses', async () => {
    const list = await scim(t, o)
      .get(`/Users?attributes=userName,name.givenName&count=2&filter=${q('name.givenName pr')}`)
      .expect(200);
    expect(list.body.Resources).toHaveLength(2);
    for (const r of list.body.Resources) {
      expect(Object.keys(r).sort()).toEqual(['id', 'meta', 'name', 'schemas', 'userName']);
      expect(Object.keys(r.name)).toEqual(['givenName']);
    }
    const excluded = await scim(t, o).get('/Users?excludedAttributes=emails,groups,meta&count=2').expect(200);
    for (const r of excluded.body.Resources) {
      expect(r).not.toHaveProperty('emails');
      expect(r).not.toHaveProperty('groups');
      expect(r).toHaveProperty('meta'); // returned "always" (RFC 7643 §7)
    }
    const one = await scim(t, o)
      .get(`/Users/${users[0].id}?attributes=${q(`${USER_SCHEMA}:displayName`)}`)
      .expect(200);
    expect(Object.keys(one.body).sort()).toEqual(['displayName', 'id', 'meta', 'schemas']);

    const created = await scim(t, o).post('/Users?attributes=userName', newUser()).expect(201);
    expect(Object.keys(created.body).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
    const patched = await scim(t, o)
      .patch(`/Users/${created.body.id}?excludedAttributes=emails,name`, {
        Operations: [{ op: 'replace', path: 'displayName', value: 'P' }],
      })
      .expect(200);
    expect(patched.body).toMatchObject({ displayName: 'P' });
    expect(patched.body).not.toHaveProperty('emails');
    const put = await scim(t, o)
      .put(`/Users/${created.body.id}?attributes=active`, newUser(created.body.userName))
      .expect(200);
    expect(Object.keys(put.body).sort()).toEqual(['active', 'id', 'meta', 'schemas']);

    const group = await scim(t, o)
      .post('/Groups?excludedAttributes=members', { displayName: `E ${unique()}`, members: [{ value: users[0].id }] })
      .expect(201);
    expect(group.body).not.toHaveProperty('members');
    const patchedGroup = await scim(t, o)
      .patch(`/Groups/${group.body.id}?attributes=members`, {
        Operations: [{ op: 'add', path: 'members', value: [{ value: users[1].id }] }],
      })
      .expect(200);
    expect(Object.keys(patchedGroup.body).sort()).toEqual(['id', 'members', 'meta', 'schemas']);
    expect(patchedGroup.body.members).toHaveLength(2);
    const groups = await scim(t, o)
      .get(`/Groups?excludedAttributes=members&filter=${q(`id eq "${group.body.id}"`)}`)
      .expect(200);
    expect(groups.body.Resources[0]).not.toHaveProperty('members');
  });

  it('sorts with sortBy / sortOrder and pages with startIndex / count', async () => {
    const ours = `userName sw "" and (${users.map((u) => `id eq "${u.id}"`).join(' or ')})`;
    const names = users.map((u) => u.userName);
    const asc = await scim(t, o)
      .get(`/Users?filter=${q(ours)}&sortBy=userName`)
      .expect(200);
    expect(asc.body.Resources.map((r: { userName: string }) => r.userName)).toEqual([...names].sort());
    const desc = await scim(t, o)
      .get(`/Users?filter=${q(ours)}&sortBy=userName&sortOrder=descending`)
      .expect(200);
    expect(desc.body.Resources.map((r: { userName: string }) => r.userName)).toEqual([...names].sort().reverse());
    const byDisplay = await scim(t, o)
      .get(`/Users?filter=${q(ours)}&sortBy=displayName&sortOrder=Descending`)
      .expect(200);
    expect(byDisplay.body.Resources.map((r: { displayName: string }) => r.displayName)).toEqual([
      'Person 4',
      'Person 3',
      'Person 2',
      'Person 1',
      'Person 0',
    ]);
    expectScimError(await scim(t, o).get('/Users?sortBy=password'), 400, 'invalidValue');

    const page = await scim(t, o)
      .get(`/Users?filter=${q(ours)}&sortBy=userName&startIndex=2&count=2`)
      .expect(200);
    expect(page.body).toMatchObject({ schemas: [LIST_SCHEMA], totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((r: { userName: string }) => r.userName)).toEqual([...names].sort().slice(1, 3));
    const past = await scim(t, o)
      .get(`/Users?filter=${q(ours)}&startIndex=10`)
      .expect(200);
    expect(past.body).toMatchObject({ totalResults: 5, startIndex: 10, itemsPerPage: 0, Resources: [] });
    const zero = await scim(t, o)
      .get(`/Users?filter=${q(ours)}&count=0`)
      .expect(200);
    expect(zero.body).toEqual({
      schemas: [LIST_SCHEMA],
      totalResults: 5,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    const clamped = await scim(t, o)
      .get(`/Users?filter=${q(ours)}&startIndex=0&count=-3`)
      .expect(200);
    expect(clamped.body).toMatchObject({ totalResults: 5, startIndex: 1, itemsPerPage: 0 });
    const big = await scim(t, o)
      .get(`/Users?filter=${q(ours)}&count=5000`)
      .expect(200);
    expect(big.body.itemsPerPage).toBe(5);
    expectScimError(await scim(t, o).get('/Users?count=many'), 400, 'invalidValue');
    // RFC 7644 §3.4.2.4 clamps small values (above); a startIndex no page can start at is the client's mistake.
    const edge = await scim(t, o)
      .get(`/Users?filter=${q(ours)}&startIndex=${Number.MAX_SAFE_INTEGER}&count=1e300`)
      .expect(200);
    expect(edge.body).toMatchObject({ totalResults: 5, startIndex: Number.MAX_SAFE_INTEGER, itemsPerPage: 0 });
    for (const startIndex of ['1e20', '99999999999999999999999', '9007199254740993']) {
      expectScimError(await scim(t, o).get(`/Groups?startIndex=${startIndex}`), 400, 'invalidValue');
    }
    expectScimError(await scim(t, o).post('/Users/.search', { startIndex: 1e300, count: 5 }), 400, 'invalidValue');
    const config = await scim(t, o).get('/ServiceProviderConfig').expect(200);
    expect(config.body.filter).toEqual({ supported: true, maxResults: 1000 });
  });

  it('searches with POST /.search (RFC 7644 §3.4.3)', async () => {
    const res = await scim(t, o)
      .post('/Users/.search', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        attributes: ['userName', 'displayName'],
        filter: `displayName sw "Person" and (id eq "${users[0].id}" or id eq "${users[1].id}")`,
        sortBy: 'displayName',
        sortOrder: 'descending',
        startIndex: 1,
        count: 10,
      })
      .expect(200);
    expect(res.body.totalResults).toBe(2);
    expect(res.body.Resources.map((r: { displayName: string }) => r.displayName)).toEqual(['Person 1', 'Person 0']);
    expect(Object.keys(res.body.Resources[0]).sort()).toEqual(['displayName', 'id', 'meta', 'schemas', 'userName']);
    const groups = await scim(t, o).post('/Groups/.search', { filter: 'displayName eq "no such group"' }).expect(200);
    expect(groups.body).toMatchObject({ totalResults: 0, Resources: [] });
    expectScimError(await scim(t, o).post('/Users/.search', { filter: 'nope eq 1' }), 400, 'invalidFilter');
    expectScimError(await scim(t, o).post('/Users/.search', [1]), 400, 'invalidSyntax');
  });

  it('stores and finds values with ";", quotes and backslashes (PGlite once split such queries into statements)', async () => {
    const odd = `Smith; John 'Jr.' \\ "x"; $$ -- /*`;
    const created = await scim(t, o)
      .post('/Users', newUser(undefined, { displayName: odd, externalId: `a;b;${unique()}` }))
      .expect(201);
    expect(created.body.displayName).toBe(odd);
    const patched = await scim(t, o)
      .patch(`/Users/${created.body.id}`, { Operations: [{ op: 'replace', path: 'displayName', value: `${odd};2` }] })
      .expect(200);
    expect(patched.body.displayName).toBe(`${odd};2`);
    const found = await scim(t, o)
      .get(`/Users?filter=${q(`displayName eq ${JSON.stringify(`${odd};2`)}`)}`)
      .expect(200);
    expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([created.body.id]);
    const group = await scim(t, o)
      .post('/Groups', { displayName: `R;D ${unique()}`, members: [{ value: created.body.id }] })
      .expect(201);
    const groups = await scim(t, o)
      .get(`/Groups?filter=${q('displayName co ";"')}&excludedAttributes=members`)
      .expect(200);
    expect(groups.body.Resources.map((g: { id: string }) => g.id)).toContain(group.body.id);
  });

  it('refuses to revoke or remove the last confirmed owner with a clear 400, changing nothing', async () => {
    const before = await fingerprint(t);
    const patched = await scim(t, o).patch(`/Users/${o.ownerMemberId}`, {
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expectScimError(patched, 400, 'invalidValue');
    expect(patched.body.detail).toBe('cannot revoke the last confirmed owner of the organization');
    const owner = (await scim(t, o).get(`/Users/${o.ownerMemberId}`).expect(200)).body;
    expectScimError(
      await scim(t, o).put(`/Users/${o.ownerMemberId}`, { ...owner, active: false }),
      400,
      'invalidValue',
    );
    const removed = await scim(t, o).delete(`/Users/${o.ownerMemberId}`);
    expectScimError(removed, 400, 'invalidValue');
    expect(removed.body.detail).toBe('cannot remove the last confirmed owner of the organization');
    expect(await fingerprint(t)).toBe(before);
    expect((await scim(t, o).get(`/Users/${o.ownerMemberId}`).expect(200)).body.active).toBe(true);
  });

  it('writes provisioning log rows: method, path, client, status, summary; never the key', async () => {
    const org = await scimOrg(t);
    const okta = (r: request.Test) =>
      r.set('Authorization', `Bearer ${org.apiKey}`).set('User-Agent', 'Okta SCIM Client 1.0.0');
    const created = await okta(request(t.app).post(`${org.base}/Users`))
      .send(newUser())
      .expect(201);
    await okta(request(t.app).get(`${org.base}/Users?filter=${q('userName eq "x@example.test"')}`)).expect(200);
    await okta(request(t.app).patch(`${org.base}/Users/${created.body.id}`))
      .send({ Operations: [{ op: 'replace', path: 'nosuch', value: 1 }] })
      .expect(400);
    await okta(request(t.app).delete(`${org.base}/Users/${created.body.id}`)).expect(204);
    const log = await provisioningLog(t, org.orgId, 4);
    expect(log.map((r) => ({ method: r.method, path: r.path, client: r.client, status: r.status }))).toEqual([
      { method: 'DELETE', path: `${org.base}/Users/${created.body.id}`, client: 'okta', status: 204 },
      { method: 'PATCH', path: `${org.base}/Users/${created.body.id}`, client: 'okta', status: 400 },
      {
        method: 'GET',
        path: `${org.base}/Users?filter=${q('userName eq "x@example.test"')}`,
        client: 'okta',
        status: 200,
      },
      { method: 'POST', path: `${org.base}/Users`, client: 'okta', status: 201 },
    ]);
    expect(log[0].summary).toBe(`user ${created.body.id} removed`);
    expect(log[1].summary).toMatch(/unknown or unsupported attribute "nosuch"/);
    expect(log[3].summary).toBe(`user ${created.body.id} provisioned as INVITED`);
    expect(log.every((r) => r.durationMs >= 0 && r.occurredAt instanceof Date)).toBe(true);
    expect(JSON.stringify(log)).not.toContain(org.apiKey);
  });
});
