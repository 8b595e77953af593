import { cliActor } from '../../src/domain/actor';
import { MemberRole } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization } from '../helpers/factories';
import { ok } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const RECOMMENDATION = `query($id: ID!) { organization(id: $id) {
  scim { rotationRecommended { reason memberEmail since } }
  events(first: 5, filter: { types: ["scim.rotation_recommended"] }) { nodes { type target { id } data } } } }`;

/** An organization with SCIM enabled (a key), its owner's token, and a second owner and a key manager to lose. */
async function world() {
  const org = await makeOrganization(t.services);
  await t.services.scimSettings.enable(cliActor(), org.orgId, {});
  const owner2 = await confirmedMember(t.services, org.orgId, MemberRole.OWNER as never);
  const keyManager = await confirmedMember(t.services, org.orgId, MemberRole.CUSTOM as never);
  await t.services.memberProfiles.update(cliActor(), org.orgId, keyManager.member.id, {
    permissions: { manageScimKeys: true, manageScim: true },
  });
  const user = await confirmedMember(t.services, org.orgId);
  const recommendation = async () => {
    const data = await ok(t.app, org.ownerToken, RECOMMENDATION, { id: org.orgId });
    return { banner: data.organization.scim.rotationRecommended, events: data.organization.events.nodes };
  };
  const mutate = (query: string, input: Record<string, unknown>) =>
    ok(t.app, org.ownerToken, query, { input: { organizationId: org.orgId, ...input } });
  return { org, owner2, keyManager, user, recommendation, mutate };
}

const REMOVE = `mutation($input: MemberIdsInput!) { membersRemove(input: $input) { userErrors { message } } }`;
const REVOKE = `mutation($input: MembersRevokeInput!) { membersRevoke(input: $input) { userErrors { message } } }`;
const UPDATE = `mutation($input: MemberUpdateInput!) { memberUpdate(input: $input) { userErrors { message } } }`;
const ROTATE = `mutation($input: ScimApiKeyRotateInput!) { scimApiKeyRotate(input: $input) { apiKey userErrors { message } } }`;

describe(`SCIM key rotation recommended when someone who could handle the key loses that right (${engineName()})`, () => {
  it('nothing to recommend while no such member has lost it (a USER removed changes nothing)', async () => {
    const w = await world();
    await w.mutate(REMOVE, { memberIds: [w.user.member.id] });
    expect(await w.recommendation()).toEqual({ banner: null, events: [] });
  });

  it('an owner removed: an audit event names it, the SCIM settings say so until the key is rotated', async () => {
    const w = await world();
    const before = Date.now();
    await w.mutate(REMOVE, { memberIds: [w.owner2.member.id] });
    const { banner, events } = await w.recommendation();
    expect(banner).toEqual({ reason: 'REMOVED', memberEmail: w.owner2.email, since: expect.any(String) });
    expect(new Date(banner.since).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(events).toEqual([
      {
        type: 'scim.rotation_recommended',
        target: { id: w.owner2.member.id },
        data: { email: w.owner2.email, reason: 'REMOVED' },
      },
    ]);
    const rotated = await w.mutate(ROTATE, {});
    expect(rotated.scimApiKeyRotate.apiKey).toMatch(/^scim_/);
    expect((await w.recommendation()).banner).toBeNull();
  });

  it('an owner revoked, or demoted, and a manageScimKeys holder losing the flag: the latest one is shown', async () => {
    const w = await world();
    await w.mutate(REVOKE, { memberIds: [w.owner2.member.id] });
    expect((await w.recommendation()).banner).toMatchObject({ reason: 'REVOKED', memberEmail: w.owner2.email });
    await w.mutate(UPDATE, { memberId: w.keyManager.member.id, permissions: { manageScimKeys: false } });
    expect((await w.recommendation()).banner).toMatchObject({ reason: 'DEMOTED', memberEmail: w.keyManager.email });
    expect((await w.recommendation()).events).toHaveLength(2);
  });

  it('an owner demoted to ADMIN', async () => {
    const w = await world();
    await w.mutate(UPDATE, { memberId: w.owner2.member.id, role: 'ADMIN' });
    expect((await w.recommendation()).banner).toMatchObject({ reason: 'DEMOTED', memberEmail: w.owner2.email });
  });

  it('no recommendation while the organization has no SCIM key', async () => {
    const org = await makeOrganization(t.services);
    const owner2 = await confirmedMember(t.services, org.orgId, MemberRole.OWNER as never);
    await ok(t.app, org.ownerToken, REMOVE, { input: { organizationId: org.orgId, memberIds: [owner2.member.id] } });
    const data = await ok(t.app, org.ownerToken, RECOMMENDATION, { id: org.orgId });
    expect(data.organization.events.nodes).toEqual([]);
    expect(data.organization.scim.rotationRecommended).toBeNull();
  });
});
