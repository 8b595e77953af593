import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { makeOrganization } from '../helpers/factories';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe(`last-used stamps of keys, written off the request path (${engineName()})`, () => {
  it('shows a SCIM key as used after a request, and a later batch never moves the time backwards', async () => {
    const org = await makeOrganization(t.services);
    const { apiKey } = await t.services.scimSettings.enable(cliActor(), org.orgId, {});
    const before = await t.services.scimSettings.get(cliActor(), org.orgId);
    expect(before.apiKey?.lastUsedAt ?? null).toBeNull();

    const res = await request(t.app).get(`/scim/v2/${org.orgId}/Users`).set('Authorization', `Bearer ${apiKey}`);
    expect(res.status).toBe(200);
    // The request only noted the use; reading the settings writes what is pending first.
    const used = (await t.services.scimSettings.get(cliActor(), org.orgId)).apiKey?.lastUsedAt;
    expect(used).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - used!.getTime())).toBeLessThan(60_000);

    const keyId = before.apiKey!.id;
    const later = new Date(Date.now() + 3_600_000);
    t.services.lastUsed.stamp(keyId, later);
    await t.services.lastUsed.flush();
    t.services.lastUsed.stamp(keyId, new Date(Date.now() - 3_600_000));
    await t.services.lastUsed.flush();
    const after = (await t.services.scimSettings.get(cliActor(), org.orgId)).apiKey?.lastUsedAt;
    expect(after?.toISOString()).toBe(later.toISOString());
  });
});
