import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type MemberPermissions, MemberRole } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization } from '../helpers/factories';
import { gql, ok, tokenFor } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const SETTINGS = `query($id: ID!) { organization(id: $id) { scim { enabled provider inviteUsersAfterProvisioning viewerCanManageKeys apiKey { hint } } } }`;
const UPDATE = `mutation($input: ScimSettingsUpdateInput!) { scimSettingsUpdate(input: $input) { apiKey scim { enabled provider apiKey { hint } } userErrors { code message } } }`;
const ROTATE = `mutation($input: ScimApiKeyRotateInput!) { scimApiKeyRotate(input: $input) { apiKey scim { apiKey { hint } } userErrors { code } } }`;

/** What an IdP sees with this key: 200 when it is the organization's current key and SCIM is on, else 401. */
const scimStatus = async (orgId: string, key: string) =>
  (await request(t.app).get(`/scim/v2/${orgId}/Users`).set('Authorization', `Bearer ${key}`)).status;

async function orgWith(role: MemberRole, flags: Partial<MemberPermissions> = {}) {
  const org = await makeOrganization(t.services);
  const m = await confirmedMember(t.services, org.orgId, role as never);
  if (Object.keys(flags).length)
    await t.services.memberProfiles.update(cliActor(), org.orgId, m.member.id, { permissions: flags });
  return { ...org, token: await tokenFor(t.services, m.email) };
}

describe(`SCIM keys need owner authority (${engineName()})`, () => {
  it('refuses an ADMIN rotating the key, enabling and disabling SCIM, and changes nothing', async () => {
    const org = await orgWith(MemberRole.ADMIN);
    const { apiKey } = await t.services.scimSettings.enable(cliActor(), org.orgId, {});
    const before = await ok(t.app, org.ownerToken, SETTINGS, { id: org.orgId });

    const rotate = await ok(t.app, org.token, ROTATE, { input: { organizationId: org.orgId } });
    expect(rotate.scimApiKeyRotate).toEqual({ apiKey: null, scim: null, userErrors: [{ code: 'FORBIDDEN' }] });
    const disable = await ok(t.app, org.token, UPDATE, { input: { organizationId: org.orgId, enabled: false } });
    expect(disable.scimSettingsUpdate).toMatchObject({ apiKey: null, scim: null, userErrors: [{ code: 'FORBIDDEN' }] });
    expect(await scimStatus(org.orgId, apiKey)).toBe(200);
    expect(await ok(t.app, org.ownerToken, SETTINGS, { id: org.orgId })).toEqual(before);

    // Disabled by the owner, the admin cannot turn it back on (that would mint a key).
    await ok(t.app, org.ownerToken, UPDATE, { input: { organizationId: org.orgId, enabled: false } });
    const off = await ok(t.app, org.ownerToken, SETTINGS, { id: org.orgId });
    const enable = await ok(t.app, org.token, UPDATE, {
      input: { organizationId: org.orgId, enabled: true, provider: 'OKTA' },
    });
    expect(enable.scimSettingsUpdate).toMatchObject({ apiKey: null, scim: null, userErrors: [{ code: 'FORBIDDEN' }] });
    expect(await ok(t.app, org.ownerToken, SETTINGS, { id: org.orgId })).toEqual(off);
    expect(off.organization.scim).toMatchObject({ enabled: false, apiKey: null });
  });

  it('lets an ADMIN read the settings and change the provider and staged mode, but says it cannot manage keys', async () => {
    const org = await orgWith(MemberRole.ADMIN);
    await t.services.scimSettings.enable(cliActor(), org.orgId, {});
    const seen = await ok(t.app, org.token, SETTINGS, { id: org.orgId });
    expect(seen.organization.scim).toMatchObject({ enabled: true, viewerCanManageKeys: false });
    const changed = await ok(t.app, org.token, UPDATE, {
      input: { organizationId: org.orgId, provider: 'OKTA', inviteUsersAfterProvisioning: false, enabled: true },
    });
    expect(changed.scimSettingsUpdate).toMatchObject({
      apiKey: null,
      scim: { enabled: true, provider: 'OKTA' },
      userErrors: [],
    });
    const log = await ok(
      t.app,
      org.token,
      `query($id: ID!) { organization(id: $id) { scim { requestLog { totalCount } } } }`,
      { id: org.orgId },
    );
    expect(log.organization.scim.requestLog.totalCount).toBeGreaterThanOrEqual(0);
  });

  it('lets a CUSTOM member given manageScimKeys by an owner rotate the key; manageScim alone does not', async () => {
    const keys = await orgWith(MemberRole.CUSTOM, { manageScimKeys: true });
    const { apiKey: old } = await t.services.scimSettings.enable(cliActor(), keys.orgId, {});
    expect((await ok(t.app, keys.token, SETTINGS, { id: keys.orgId })).organization.scim.viewerCanManageKeys).toBe(
      true,
    );
    const rotated = await ok(t.app, keys.token, ROTATE, { input: { organizationId: keys.orgId } });
    expect(rotated.scimApiKeyRotate.userErrors).toEqual([]);
    expect(await scimStatus(keys.orgId, rotated.scimApiKeyRotate.apiKey)).toBe(200);
    expect(await scimStatus(keys.orgId, old)).toBe(401);

    const scimOnly = await orgWith(MemberRole.CUSTOM, { manageScim: true });
    await t.services.scimSettings.enable(cliActor(), scimOnly.orgId, {});
    const refused = await ok(t.app, scimOnly.token, ROTATE, { input: { organizationId: scimOnly.orgId } });
    expect(refused.scimApiKeyRotate.userErrors).toEqual([{ code: 'FORBIDDEN' }]);
    // A member with no SCIM right at all is refused the whole mutation, as before.
    const user = await orgWith(MemberRole.USER);
    const denied = await gql(t.app, user.token, ROTATE, { input: { organizationId: user.orgId } });
    expect(denied.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});

describe(`enabling SCIM gives the key (${engineName()})`, () => {
  it('returns a new key once on enable, none when already on, and never brings a disabled key back', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    const first = (
      await ok(t.app, ownerToken, UPDATE, { input: { organizationId: orgId, enabled: true, provider: 'JUMPCLOUD' } })
    ).scimSettingsUpdate;
    expect(first).toMatchObject({
      apiKey: expect.stringMatching(/^scim_/),
      scim: { enabled: true, provider: 'JUMPCLOUD', apiKey: { hint: expect.any(String) } },
      userErrors: [],
    });
    expect(await scimStatus(orgId, first.apiKey)).toBe(200);

    const again = (await ok(t.app, ownerToken, UPDATE, { input: { organizationId: orgId, enabled: true } }))
      .scimSettingsUpdate;
    expect(again.apiKey).toBeNull();
    expect(await scimStatus(orgId, first.apiKey)).toBe(200);

    const off = (await ok(t.app, ownerToken, UPDATE, { input: { organizationId: orgId, enabled: false } }))
      .scimSettingsUpdate;
    expect(off).toMatchObject({ apiKey: null, scim: { enabled: false, apiKey: null } });
    expect(await scimStatus(orgId, first.apiKey)).toBe(401);

    const back = (await ok(t.app, ownerToken, UPDATE, { input: { organizationId: orgId, enabled: true } }))
      .scimSettingsUpdate;
    expect(back.apiKey).toEqual(expect.stringMatching(/^scim_/));
    expect(back.apiKey).not.toBe(first.apiKey);
    expect(await scimStatus(orgId, first.apiKey)).toBe(401);
    expect(await scimStatus(orgId, back.apiKey)).toBe(200);
  });
});
