import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { MemberRole } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization } from '../helpers/factories';
import { ok, tokenFor } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const SETTINGS = `query($id: ID!) { organization(id: $id) { scim { apiKey { hint } previousKey { hint validUntil lastUsedAt } } } }`;
const ROTATE = `mutation($input: ScimApiKeyRotateInput!) {
  scimApiKeyRotate(input: $input) { apiKey scim { apiKey { hint } previousKey { hint validUntil } } userErrors { code field message } } }`;
const REVOKE_PREVIOUS = `mutation($input: ScimPreviousKeyRevokeInput!) {
  scimPreviousKeyRevoke(input: $input) { scim { apiKey { hint } previousKey { hint } } userErrors { code } } }`;
const LOG = `query($id: ID!) { organization(id: $id) { scim { requestLog(first: 20) { nodes { method path status apiKeyId apiKeyHint apiKeyStatus } } } } }`;

/** What an IdP sees with this key on /Users: 200 when the key works, else 401. */
const scimStatus = async (orgId: string, key: string, path = '/Users') =>
  (await request(t.app).get(`/scim/v2/${orgId}${path}`).set('Authorization', `Bearer ${key}`)).status;

/** An organization with SCIM on and its first key. */
async function scimOrganization() {
  const org = await makeOrganization(t.services);
  const { apiKey } = await t.services.scimSettings.enable(cliActor(), org.orgId, { provider: 'okta' as never });
  return { ...org, key: apiKey };
}

const rotate = async (org: { orgId: string; ownerToken: string }, previousKeyValidMinutes?: number | null) =>
  (
    await ok(t.app, org.ownerToken, ROTATE, {
      input: {
        organizationId: org.orgId,
        ...(previousKeyValidMinutes !== undefined ? { previousKeyValidMinutes } : {}),
      },
    })
  ).scimApiKeyRotate;

/** Moves the end of the organization's overlap (there is no clock to wind in a real server: the row is the truth). */
async function setPreviousKeyExpiry(orgId: string, at: Date): Promise<void> {
  const moved = await t.orm.em
    .fork()
    .getConnection()
    .execute(
      `update api_key set expires_at = ? where organization_id = ? and kind = 'SCIM' and expires_at is not null`,
      [at, orgId],
      'run',
    );
  expect(moved).toMatchObject({ affectedRows: 1 });
}

const hintOf = (key: string) => `…${key.slice(-6)}`;

describe(`rotating the SCIM key with an overlap (${engineName()})`, () => {
  it('keeps the old key working beside the new one, logs which key each request used, and ends it on request', async () => {
    const org = await scimOrganization();
    const before = Date.now();
    const rotated = await rotate(org, 60);
    expect(rotated.userErrors).toEqual([]);
    const fresh = rotated.apiKey as string;
    expect(rotated.scim).toEqual({
      apiKey: { hint: hintOf(fresh) },
      previousKey: { hint: hintOf(org.key), validUntil: expect.any(String) },
    });
    const validUntil = Date.parse(rotated.scim.previousKey.validUntil);
    expect(validUntil).toBeGreaterThanOrEqual(before + 60 * 60_000 - 1000);
    expect(validUntil).toBeLessThanOrEqual(Date.now() + 60 * 60_000 + 1000);

    for (let i = 0; i < 2; i++) {
      expect(await scimStatus(org.orgId, org.key)).toBe(200);
      expect(await scimStatus(org.orgId, fresh, '/Groups')).toBe(200);
    }
    const log = (await ok(t.app, org.ownerToken, LOG, { id: org.orgId })).organization.scim.requestLog.nodes as {
      path: string;
      status: number;
      apiKeyHint: string | null;
      apiKeyStatus: string | null;
      apiKeyId: string | null;
    }[];
    const users = log.filter((l) => l.path.endsWith('/Users'));
    const groups = log.filter((l) => l.path.endsWith('/Groups'));
    expect(users).toHaveLength(2);
    expect(groups).toHaveLength(2);
    for (const l of users)
      expect(l).toMatchObject({ status: 200, apiKeyHint: hintOf(org.key), apiKeyStatus: 'PREVIOUS' });
    for (const l of groups)
      expect(l).toMatchObject({ status: 200, apiKeyHint: hintOf(fresh), apiKeyStatus: 'CURRENT' });
    expect(users[0].apiKeyId).not.toBe(groups[0].apiKeyId);

    const ended = (await ok(t.app, org.ownerToken, REVOKE_PREVIOUS, { input: { organizationId: org.orgId } }))
      .scimPreviousKeyRevoke;
    expect(ended).toEqual({ scim: { apiKey: { hint: hintOf(fresh) }, previousKey: null }, userErrors: [] });
    expect(await scimStatus(org.orgId, org.key)).toBe(401);
    expect(await scimStatus(org.orgId, fresh)).toBe(200);
    // Nothing left to end is not an error.
    const again = (await ok(t.app, org.ownerToken, REVOKE_PREVIOUS, { input: { organizationId: org.orgId } }))
      .scimPreviousKeyRevoke;
    expect(again.userErrors).toEqual([]);
  });

  it('ends the old key at once with 0 or without the argument (a leaked key)', async () => {
    for (const minutes of [0, null, undefined]) {
      const org = await scimOrganization();
      expect(await scimStatus(org.orgId, org.key)).toBe(200);
      const rotated = await rotate(org, minutes);
      expect(rotated).toMatchObject({ userErrors: [], scim: { previousKey: null } });
      expect(await scimStatus(org.orgId, org.key)).toBe(401);
      expect(await scimStatus(org.orgId, rotated.apiKey)).toBe(200);
    }
  });

  it('refuses an overlap longer than 7 days or negative, and changes nothing', async () => {
    const org = await scimOrganization();
    const before = await ok(t.app, org.ownerToken, SETTINGS, { id: org.orgId });
    for (const minutes of [10081, -1]) {
      const refused = await rotate(org, minutes);
      expect(refused).toEqual({
        apiKey: null,
        scim: null,
        userErrors: [
          { code: 'INVALID_INPUT', field: 'previousKeyValidMinutes', message: expect.stringMatching(/10080/) },
        ],
      });
      expect(await scimStatus(org.orgId, org.key)).toBe(200);
      expect(await ok(t.app, org.ownerToken, SETTINGS, { id: org.orgId })).toEqual(before);
    }
    expect(before.organization.scim.previousKey).toBeNull();
    // The longest overlap allowed is accepted.
    expect((await rotate(org, 10080)).userErrors).toEqual([]);
  });

  it('refuses the previous key once its overlap is over, also after it was verified (and remembered) during it', async () => {
    const org = await scimOrganization();
    const fresh = (await rotate(org, 60)).apiKey as string;
    const end = new Date(Date.now() + 1500);
    await setPreviousKeyExpiry(org.orgId, end);
    for (let i = 0; i < 3; i++) expect(await scimStatus(org.orgId, org.key)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, end.getTime() - Date.now() + 50));
    expect(await scimStatus(org.orgId, org.key)).toBe(401);
    expect(await scimStatus(org.orgId, fresh)).toBe(200);
    const settings = await ok(t.app, org.ownerToken, SETTINGS, { id: org.orgId });
    expect(settings.organization.scim).toEqual({ apiKey: { hint: hintOf(fresh) }, previousKey: null });
  });

  it('keeps at most one previous key: a second rotation ends the first overlap', async () => {
    const org = await scimOrganization();
    const second = (await rotate(org, 60)).apiKey as string;
    const third = await rotate(org, 30);
    expect(third.scim.previousKey.hint).toBe(hintOf(second));
    expect(await scimStatus(org.orgId, org.key)).toBe(401);
    expect(await scimStatus(org.orgId, second)).toBe(200);
    expect(await scimStatus(org.orgId, third.apiKey)).toBe(200);
    // Disabling SCIM ends every key, the previous one too.
    await t.services.scimSettings.update(cliActor(), org.orgId, { enabled: false });
    const back = await t.services.scimSettings.update(cliActor(), org.orgId, { enabled: true });
    expect(back.view.previousKey).toBeNull();
    for (const key of [second, third.apiKey]) expect(await scimStatus(org.orgId, key)).toBe(401);
  });

  it('lets only those who may rotate the key end the overlap', async () => {
    const org = await scimOrganization();
    const admin = await confirmedMember(t.services, org.orgId, MemberRole.ADMIN as never);
    const adminToken = await tokenFor(t.services, admin.email);
    await rotate(org, 60);
    const refused = (await ok(t.app, adminToken, REVOKE_PREVIOUS, { input: { organizationId: org.orgId } }))
      .scimPreviousKeyRevoke;
    expect(refused).toEqual({ scim: null, userErrors: [{ code: 'FORBIDDEN' }] });
    const rotateRefused = (
      await ok(t.app, adminToken, ROTATE, { input: { organizationId: org.orgId, previousKeyValidMinutes: 60 } })
    ).scimApiKeyRotate;
    expect(rotateRefused.userErrors).toMatchObject([{ code: 'FORBIDDEN' }]);
    expect(await scimStatus(org.orgId, org.key)).toBe(200);
  });
});
