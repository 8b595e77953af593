/**
 * A group the identity provider pushes is the provider's: GraphQL reads who manages it and refuses to edit its
 * membership by hand (MANAGED_BY_IDP), which the provider's next sync would silently undo. With SCIM off, nothing
 * syncs, and the group is the organization's to edit.
 */
import { cliActor } from '../../src/domain/actor';
import { ScimProvider } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, unique } from '../helpers/factories';
import { GROUP_SCHEMA, type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';
import { ok } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ERRORS = 'userErrors { code message field }';

async function setUp() {
  const o = await scimOrg(t);
  await t.services.scimSettings.update(cliActor(), o.orgId, { provider: ScimProvider.JUMPCLOUD });
  const api = scim(t, o);
  const pushedMember: string = (await api.post('/Users', newUser())).body.id;
  const pushed = await api.post('/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName: `Engineering ${unique()}`,
    members: [{ value: pushedMember }],
  });
  expect(pushed.status).toBe(201);
  const manual = await t.services.groups.create(cliActor(), o.orgId, { displayName: `Lunch ${unique()}` });
  const local = await confirmedMember(t.services, o.orgId);
  return { o, pushedGroup: pushed.body.id as string, pushedMember, manualGroup: manual.id, local: local.member.id };
}

const groupMembers = async (o: ScimOrg, groupId: string): Promise<string[]> =>
  (await t.services.groups.membersOf(cliActor(), o.orgId, [groupId], 100)).get(groupId)?.map((m) => m.id) ?? [];

describe(`SCIM groups are read-only from GraphQL (${engineName()})`, () => {
  it("says who manages a group and a member, and refuses every hand edit of a pushed group's membership", async () => {
    const { o, pushedGroup, pushedMember, manualGroup, local } = await setUp();
    const read = await ok(
      t.app,
      o.ownerToken,
      `query($id: ID!, $g: ID!, $h: ID!, $m: ID!, $l: ID!) { organization(id: $id) {
        pushed: group(id: $g) { source managedBy } manual: group(id: $h) { source managedBy }
        scimMember: member(id: $m) { managedBy } localMember: member(id: $l) { managedBy } } }`,
      { id: o.orgId, g: pushedGroup, h: manualGroup, m: pushedMember, l: local },
    );
    expect(read.organization).toEqual({
      pushed: { source: 'SCIM', managedBy: 'JumpCloud' },
      manual: { source: 'MANUAL', managedBy: null },
      scimMember: { managedBy: 'JumpCloud' },
      localMember: { managedBy: null },
    });

    const add = await ok(
      t.app,
      o.ownerToken,
      `mutation($input: GroupMembersInput!) { groupMembersAdd(input: $input) { group { id } ${ERRORS} } }`,
      { input: { organizationId: o.orgId, groupId: pushedGroup, memberIds: [local] } },
    );
    expect(add.groupMembersAdd.group).toBeNull();
    expect(add.groupMembersAdd.userErrors).toEqual([
      expect.objectContaining({ code: 'MANAGED_BY_IDP', message: expect.stringContaining('JumpCloud manages') }),
    ]);
    const remove = await ok(
      t.app,
      o.ownerToken,
      `mutation($input: GroupMembersInput!) { groupMembersRemove(input: $input) { ${ERRORS} } }`,
      { input: { organizationId: o.orgId, groupId: pushedGroup, memberIds: [pushedMember] } },
    );
    expect(remove.groupMembersRemove.userErrors.map((e: { code: string }) => e.code)).toEqual(['MANAGED_BY_IDP']);

    const bulk = await ok(
      t.app,
      o.ownerToken,
      `mutation($input: MembersAddToGroupInput!) { membersAddToGroup(input: $input) { results { member { id } ${ERRORS} } } }`,
      { input: { organizationId: o.orgId, groupId: pushedGroup, memberIds: [local] } },
    );
    expect(bulk.membersAddToGroup.results[0]).toMatchObject({ member: null, userErrors: [{ code: 'MANAGED_BY_IDP' }] });

    // A member's own group set may leave its pushed groups as they are, not change them.
    const SET = `mutation($input: MemberGroupsSetInput!) { memberGroupsSet(input: $input) { member { id } ${ERRORS} } }`;
    const joinPushed = await ok(t.app, o.ownerToken, SET, {
      input: { organizationId: o.orgId, memberId: local, groupIds: [manualGroup, pushedGroup] },
    });
    expect(joinPushed.memberGroupsSet.userErrors.map((e: { code: string }) => e.code)).toEqual(['MANAGED_BY_IDP']);
    const leavePushed = await ok(t.app, o.ownerToken, SET, {
      input: { organizationId: o.orgId, memberId: pushedMember, groupIds: [] },
    });
    expect(leavePushed.memberGroupsSet.userErrors.map((e: { code: string }) => e.code)).toEqual(['MANAGED_BY_IDP']);
    const keepPushed = await ok(t.app, o.ownerToken, SET, {
      input: { organizationId: o.orgId, memberId: pushedMember, groupIds: [pushedGroup, manualGroup] },
    });
    expect(keepPushed.memberGroupsSet.userErrors).toEqual([]);

    // An invitation into a pushed group is refused as a whole: no member is created.
    const email = `new-${unique()}@example.test`;
    const invite = await ok(
      t.app,
      o.ownerToken,
      `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { results { member { id } ${ERRORS} } } }`,
      { input: { organizationId: o.orgId, emails: [email], groupIds: [manualGroup, pushedGroup] } },
    );
    expect(invite.membersInvite.results[0]).toMatchObject({ member: null, userErrors: [{ code: 'MANAGED_BY_IDP' }] });
    const found = await t.services.memberProfiles.idsMatching(
      cliActor(),
      o.orgId,
      { email },
      { limit: 10, after: null },
    );
    expect(found.total).toBe(0);

    expect((await groupMembers(o, pushedGroup)).sort()).toEqual([pushedMember]);
    expect(await groupMembers(o, manualGroup)).toEqual([pushedMember]);
    // The provider itself still edits it.
    const api = scim(t, o);
    const patched = await api.patch(`/Groups/${pushedGroup}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: local }] }],
    });
    expect(patched.status).toBeLessThan(300);
    expect((await groupMembers(o, pushedGroup)).sort()).toEqual([pushedMember, local].sort());
  });

  it('lets the organization edit a pushed group once SCIM is off', async () => {
    const { o, pushedGroup, local } = await setUp();
    await t.services.scimSettings.update(cliActor(), o.orgId, { enabled: false });
    const add = await ok(
      t.app,
      o.ownerToken,
      `mutation($input: GroupMembersInput!) { groupMembersAdd(input: $input) { group { managedBy } ${ERRORS} } }`,
      { input: { organizationId: o.orgId, groupId: pushedGroup, memberIds: [local] } },
    );
    expect(add.groupMembersAdd).toEqual({ group: { managedBy: null }, userErrors: [] });
  });
});
