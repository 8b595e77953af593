/**
 * SCIM authentication: the key must be the current key of the organization in the URL and SCIM
 * must be enabled; every other case is the same 401 with a SCIM error body. Rotation and disabling take effect on
 * the very next request.
 */
import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { type ScimOrg, scimOrg } from '../helpers/scim';
import { expectScimError, provisioningLog } from './support';

let t: TestApp;
let a: ScimOrg;
let b: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  a = await scimOrg(t);
  b = await scimOrg(t);
});
afterAll(() => t.close());

const get = (path: string, authorization?: string) => {
  const r = request(t.app).get(path);
  return authorization === undefined ? r : r.set('Authorization', authorization);
};

function expect401(res: request.Response): void {
  expectScimError(res, 401);
  expect(res.body.detail).toMatch(/key/i);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
}

describe(`SCIM auth (${engineName()})`, () => {
  it('accepts "Bearer <key>" in any case and the bare key', async () => {
    await get(`${a.base}/Users`, `Bearer ${a.apiKey}`).expect(200);
    await get(`${a.base}/Users`, `bearer ${a.apiKey}`).expect(200);
    await get(`${a.base}/Users`, `BEARER   ${a.apiKey}  `).expect(200);
    await get(`${a.base}/Users`, a.apiKey).expect(200);
  });

  it("answers 401 for no key, a wrong key, another organization's key and an unknown organization alike", async () => {
    expect401(await get(`${a.base}/Users`));
    expect401(await get(`${a.base}/Users`, 'Bearer '));
    expect401(await get(`${a.base}/Users`, `Bearer ${a.apiKey}x`));
    expect401(await get(`${a.base}/Users`, `Basic ${Buffer.from(`x:${a.apiKey}`).toString('base64')}`));
    expect401(await get(`${a.base}/Users`, `Bearer ${b.apiKey}`));
    expect401(await get(`${a.base}/Groups`, b.apiKey));
    const unknown = await get(`/scim/v2/00000000-0000-4000-8000-000000000000/Users`, `Bearer ${a.apiKey}`);
    expect401(unknown);
    const notUuid = await get(`/scim/v2/not-an-org/Users`, `Bearer ${a.apiKey}`);
    expect401(notUuid);
    // The same answer whether the organization exists or not.
    expect(unknown.body).toEqual((await get(`${a.base}/Users`, `Bearer ${b.apiKey}`)).body);
    // Discovery endpoints need the key too.
    expect401(await get(`${a.base}/ServiceProviderConfig`));
    expect401(
      await request(t.app)
        .post(`${a.base}/Users`)
        .set('Authorization', `Bearer ${b.apiKey}`)
        .send({ userName: 'x@example.com' }),
    );
  });

  it('stops the rotated-out key on the next request and accepts the new one', async () => {
    const o = await scimOrg(t);
    await get(`${o.base}/Users`, `Bearer ${o.apiKey}`).expect(200);
    const { apiKey } = await t.services.scimSettings.rotateKey(cliActor(), o.orgId);
    expect(apiKey).not.toBe(o.apiKey);
    expect401(await get(`${o.base}/Users`, `Bearer ${o.apiKey}`));
    await get(`${o.base}/Users`, `Bearer ${apiKey}`).expect(200);
  });

  it('refuses every key of an organization whose SCIM was disabled, from the next request on, and never again', async () => {
    const o = await scimOrg(t);
    await get(`${o.base}/Users`, `Bearer ${o.apiKey}`).expect(200);
    await t.services.scimSettings.update(cliActor(), o.orgId, { enabled: false });
    expect401(await get(`${o.base}/Users`, `Bearer ${o.apiKey}`));
    expect401(await get(`${o.base}/Schemas`, o.apiKey));
    // Re-enabling issues a new key: the disabled organization's old key never comes back.
    const { apiKey } = await t.services.scimSettings.update(cliActor(), o.orgId, { enabled: true });
    expect(apiKey).toEqual(expect.stringMatching(/^scim_/));
    expect401(await get(`${o.base}/Users`, `Bearer ${o.apiKey}`));
    await get(`${o.base}/Users`, `Bearer ${apiKey}`).expect(200);
  });

  it('never writes the key into the provisioning log', async () => {
    const o = await scimOrg(t);
    await get(`${o.base}/Users`, `Bearer ${o.apiKey}`).expect(200);
    await request(t.app)
      .post(`${o.base}/Users`)
      .set('Authorization', o.apiKey)
      .send({ userName: 'nobody' })
      .expect(400);
    const log = await provisioningLog(t, o.orgId, 2);
    expect(log.map((r) => [r.method, r.status])).toEqual([
      ['POST', 400],
      ['GET', 200],
    ]);
    expect(JSON.stringify(log)).not.toContain(o.apiKey);
    expect(JSON.stringify(log)).not.toContain(o.apiKey.slice(-12));
  });

  it("logs a rejected key in the organization's provisioning log, at most once a minute, and nothing for unknown organizations", async () => {
    const o = await scimOrg(t);
    const old = o.apiKey;
    const { apiKey } = await t.services.scimSettings.rotateKey(cliActor(), o.orgId);
    // The IdP still sends the rotated-out key: the admin must be able to see why nothing syncs.
    expect401(
      await get(`${o.base}/Users?filter=${encodeURIComponent('userName eq "a@x.test"')}`, `Bearer ${old}`).set(
        'User-Agent',
        'Okta SCIM Client 1.0.0',
      ),
    );
    expect401(await get(`${o.base}/Users`, `Bearer ${old}`));
    expect401(await get(`${o.base}/Users`, `Bearer ${b.apiKey}`));
    await get(`${o.base}/Users`, `Bearer ${apiKey}`).expect(200);
    const log = await provisioningLog(t, o.orgId, 2);
    expect(log.map((r) => [r.method, r.status, r.client, r.summary])).toEqual([
      ['GET', 200, null, null],
      ['GET', 401, 'okta', expect.stringMatching(/rejected/)],
    ]);
    expect(JSON.stringify(log)).not.toContain(old.slice(-12));
    expect(JSON.stringify(log)).not.toContain(b.apiKey.slice(-12));

    // An organization without SCIM (or none at all) has no log to write into; the answer is the same 401.
    await t.services.scimSettings.update(cliActor(), o.orgId, { enabled: false });
    expect401(await get(`${o.base}/Groups`, `Bearer ${old}`));
    expect401(await get(`/scim/v2/00000000-0000-4000-8000-000000000000/Users`, `Bearer ${old}`));
    await t.services.scimRequestLog.flush();
    expect(await provisioningLog(t, o.orgId, 3)).toHaveLength(2);
  });

  it('throttles rejected-key rows per organization whatever the spelling of its id, and stores no query string and a short path', async () => {
    const o = await scimOrg(t);
    const spellings = [
      o.orgId.toUpperCase(),
      o.orgId,
      o.orgId.replace(/[a-f]/, (c) => c.toUpperCase()),
      o.orgId.replace(/[a-f]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c)),
    ];
    expect(new Set(spellings).size).toBe(4);
    const secretish = `filter=${encodeURIComponent(`userName eq "${'q'.repeat(300)}"`)}`;
    expect401(await get(`/scim/v2/${spellings[0]}/Users/${'x'.repeat(3000)}?${secretish}`, 'Bearer wrong-key'));
    for (const id of spellings) expect401(await get(`/scim/v2/${id}/Users?${secretish}`, 'Bearer wrong-key'));
    await t.services.scimRequestLog.flush();
    const log = await provisioningLog(t, o.orgId, 5);
    expect(log).toHaveLength(1);
    expect(log[0].status).toBe(401);
    expect(log[0].path).not.toContain('?');
    expect(log[0].path).not.toContain('qqq');
    expect(log[0].path.length).toBeLessThanOrEqual(200);
    expect(log[0].path.startsWith(`/scim/v2/${spellings[0]}/Users/xxx`)).toBe(true);
  });

  it('reads no request body before the key is accepted', async () => {
    const o = await scimOrg(t);
    const post = (key: string, body: string) =>
      request(t.app)
        .post(`${o.base}/Users`)
        .set('Authorization', `Bearer ${key}`)
        .set('Content-Type', 'application/scim+json')
        .send(body);
    // Without the key: 401, whatever the body (not 400 for bad JSON, not 413 for a body over the limit).
    expect401(await post('wrong', '{"userName": '));
    expect401(await post('wrong', JSON.stringify({ userName: 'x@example.test', pad: 'x'.repeat(1_100_000) })));
    // With the key, the body is read as before.
    expectScimError(await post(o.apiKey, '{"userName": '), 400, 'invalidSyntax');
    expectScimError(
      await post(o.apiKey, JSON.stringify({ userName: 'x@example.test', pad: 'x'.repeat(1_100_000) })),
      413,
    );
  });
});
