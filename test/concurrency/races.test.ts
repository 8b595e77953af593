import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { MemberRole, MemberStatus } from '../../src/domain/enums';
import { Member } from '../../src/entities';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, unique } from '../helpers/factories';
import { GROUP_SCHEMA, PATCH_SCHEMA, newUser, scim, scimOrg } from '../helpers/scim';

// Real races need real connections: on PGlite (one connection) the same tests still hold, serialized.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ SCIM_RATE_LIMIT_PER_SECOND: '1000000', SCIM_RATE_LIMIT_BURST: '1000000' });
});
afterAll(() => t.close());

describe(`concurrency (${engineName()})`, () => {
  it('50 identical POST /Users at once: exactly one 201, the rest 409, one row', async () => {
    const o = await scimOrg(t);
    const body = newUser(`race-${unique()}@example.test`, { externalId: `race-${unique()}` });
    const results = await Promise.all(Array.from({ length: 50 }, () => scim(t, o).post('/Users', body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.scimType).toBe('uniqueness');
    expect(await t.orm.em.fork().count(Member, { organization: o.orgId, userName: body.userName })).toBe(1);
  });

  it('100 concurrent group member adds: all present', async () => {
    const o = await scimOrg(t);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push((await scim(t, o).post('/Users', newUser()).expect(201)).body.id);
    const group = (
      await scim(t, o)
        .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `g-${unique()}` })
        .expect(201)
    ).body;
    const results = await Promise.all(
      ids.map((id) =>
        scim(t, o).patch(`/Groups/${group.id}`, {
          schemas: [PATCH_SCHEMA],
          Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
        }),
      ),
    );
    expect(results.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
    const read = await scim(t, o).get(`/Groups/${group.id}`).expect(200);
    expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual([...ids].sort());
  });

  it('concurrent revocation of the last two owners: one owner remains', async () => {
    const o = await scimOrg(t);
    const second = await confirmedMember(t.services, o.orgId);
    await t.services.memberProfiles.update(cliActor(), o.orgId, second.member.id, { role: MemberRole.OWNER });
    const results = await Promise.allSettled([
      t.services.memberLifecycle.revoke(cliActor(), o.orgId, o.ownerMemberId),
      t.services.memberLifecycle.revoke(cliActor(), o.orgId, second.member.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const owners = await t.orm.em
      .fork()
      .count(Member, { organization: o.orgId, role: MemberRole.OWNER, status: MemberStatus.CONFIRMED });
    expect(owners).toBe(1);
  });

  it('concurrent PATCHes with the same If-Match: one wins, the other 412', async () => {
    const o = await scimOrg(t);
    const created = await scim(t, o).post('/Users', newUser()).expect(201);
    const etag = created.headers.etag;
    const patch = (name: string) =>
      scim(t, o)
        .patch(`/Users/${created.body.id}`, {
          schemas: [PATCH_SCHEMA],
          Operations: [{ op: 'replace', path: 'displayName', value: name }],
        })
        .set('If-Match', etag);
    const results = await Promise.all([patch('first'), patch('second')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = results.find((r) => r.status === 200)!;
    const read = await scim(t, o).get(`/Users/${created.body.id}`).expect(200);
    expect(read.body.displayName).toBe(winner.body.displayName);
    expect(read.headers.etag).not.toBe(etag);
  });

  it('concurrent group member PATCHes with the same If-Match: one wins, the other 412 and adds nobody', async () => {
    const o = await scimOrg(t);
    const [a, b] = [
      (await scim(t, o).post('/Users', newUser()).expect(201)).body.id,
      (await scim(t, o).post('/Users', newUser()).expect(201)).body.id,
    ];
    const created = await scim(t, o)
      .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `g-${unique()}` })
      .expect(201);
    const add = (id: string) =>
      scim(t, o)
        .patch(`/Groups/${created.body.id}`, {
          schemas: [PATCH_SCHEMA],
          Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }],
        })
        .set('If-Match', created.headers.etag);
    const results = await Promise.all([add(a), add(b)]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 412]);
    const winner = results[0].status === 204 ? a : b;
    const read = await scim(t, o).get(`/Groups/${created.body.id}`).expect(200);
    expect(read.body.members.map((m: { value: string }) => m.value)).toEqual([winner]);
    expect(read.headers.etag).toBe(results.find((r) => r.status === 204)!.headers.etag);
  });

  it('concurrent writes without If-Match queue instead of failing: all succeed, the last one wins', async () => {
    const o = await scimOrg(t);
    const user = (await scim(t, o).post('/Users', newUser()).expect(201)).body;
    const member = (await scim(t, o).post('/Users', newUser()).expect(201)).body;
    const group = (
      await scim(t, o)
        .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `g-${unique()}` })
        .expect(201)
    ).body;
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        scim(t, o).patch(`/Users/${user.id}`, {
          schemas: [PATCH_SCHEMA],
          Operations: [{ op: 'replace', path: 'displayName', value: `name ${i}` }],
        }),
      ),
      scim(t, o).patch(`/Groups/${group.id}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'displayName', value: 'renamed' }],
      }),
      scim(t, o).patch(`/Groups/${group.id}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'add', path: 'members', value: [{ value: member.id }] }],
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual([...Array(10).fill(200), 204, 204]);
    const read = await scim(t, o).get(`/Groups/${group.id}`).expect(200);
    expect(read.body).toMatchObject({ displayName: 'renamed', members: [{ value: member.id }] });
    expect((await scim(t, o).get(`/Users/${user.id}`).expect(200)).body.displayName).toMatch(/^name \d$/);
  });

  it('a stale If-Match on PUT and DELETE is 412 and changes nothing', async () => {
    const o = await scimOrg(t);
    const created = await scim(t, o).post('/Users', newUser()).expect(201);
    await scim(t, o)
      .patch(`/Users/${created.body.id}`, { Operations: [{ op: 'replace', path: 'displayName', value: 'changed' }] })
      .expect(200);
    await scim(t, o)
      .put(`/Users/${created.body.id}`, { ...created.body, displayName: 'stale' })
      .set('If-Match', created.headers.etag)
      .expect(412);
    await scim(t, o).delete(`/Users/${created.body.id}`).set('If-Match', created.headers.etag).expect(412);
    const read = await request(t.app)
      .get(`${o.base}/Users/${created.body.id}`)
      .set('Authorization', `Bearer ${o.apiKey}`)
      .expect(200);
    expect(read.body.displayName).toBe('changed');
  });
});
