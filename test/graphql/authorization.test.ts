import { cliActor } from '../../src/domain/actor';
import { MemberRole } from '../../src/domain/enums';
import { ApiKey } from '../../src/entities';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization, unique, userActor } from '../helpers/factories';
import { type GqlResponse, codes, gql, invitationTokenOf, ok, tokenFor } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const RANDOM_ID = '7d1a1f0e-5b8c-4c52-9b61-2f3f0f6f0a11';

/** Organization A with people in every state, and an outsider: the owner of organization B. */
async function world() {
  const { services, orm } = t;
  const a = await makeOrganization(services, 'Victim Inc');
  const b = await makeOrganization(services, 'Other Inc');
  const user = await confirmedMember(services, a.orgId);
  const custom = await confirmedMember(services, a.orgId, MemberRole.CUSTOM as never);
  await services.memberProfiles.update(cliActor(), a.orgId, custom.member.id, { permissions: { manageGroups: true } });
  const admin = await confirmedMember(services, a.orgId, MemberRole.ADMIN as never);
  const invitedEmail = `invited-${unique()}@example.test`;
  const invited = (await services.memberLifecycle.invite(cliActor(), a.orgId, { email: invitedEmail })).member;
  const acceptedEmail = `accepted-${unique()}@example.test`;
  const toAccept = await services.memberLifecycle.invite(cliActor(), a.orgId, { email: acceptedEmail });
  const accepted = await services.memberLifecycle.accept(
    await userActor(services, acceptedEmail),
    toAccept.invitationToken,
  );
  const revoked = (
    await services.memberLifecycle.invite(cliActor(), a.orgId, { email: `revoked-${unique()}@example.test` })
  ).member;
  await services.memberLifecycle.revoke(cliActor(), a.orgId, revoked.id);
  const group = await services.groups.create(cliActor(), a.orgId, {
    displayName: 'Secret project',
    memberIds: [user.member.id, invited.id],
  });
  await services.scimSettings.enable(cliActor(), a.orgId, {});
  const ownerTokenId = (
    await orm.em.fork().findOneOrFail(ApiKey, { name: 'owner token for Victim Inc', user: { email: a.ownerEmail } })
  ).id;
  return {
    a,
    b,
    ids: {
      invited: invited.id,
      accepted: accepted.id,
      revoked: revoked.id,
      group: group.id,
      owner: a.ownerId,
      user: user.member.id,
      ownerTokenId,
    },
    invitationToken: await invitationTokenOf(orm, invited.id),
    tokens: {
      user: await tokenFor(services, user.email),
      custom: await tokenFor(services, custom.email),
      admin: await tokenFor(services, admin.email),
      accepted: await tokenFor(services, acceptedEmail),
    },
  };
}

type World = Awaited<ReturnType<typeof world>>;

/** Every mutation, aimed at organization A. organizationCreate and accessTokenCreate act on the viewer's own account only. */
function sweep(w: World): { name: string; query: string; input: Record<string, unknown>; orgScoped: boolean }[] {
  const org = { organizationId: w.a.orgId };
  const m = (name: string, type: string, input: Record<string, unknown>, orgScoped = true) => ({
    name,
    query: `mutation($input: ${type}!) { ${name}(input: $input) { __typename userErrors { code } } }`,
    input,
    orgScoped,
  });
  return [
    m('organizationUpdate', 'OrganizationUpdateInput', { ...org, name: 'Pwned' }),
    m('membersInvite', 'MembersInviteInput', { ...org, emails: [`intruder-${unique()}@example.test`], role: 'OWNER' }),
    m('membersReinvite', 'MemberIdsInput', { ...org, memberIds: [w.ids.invited] }),
    m('membersConfirm', 'MembersConfirmInput', { ...org, members: [{ memberId: w.ids.accepted }] }),
    m('membersRevoke', 'MembersRevokeInput', { ...org, memberIds: [w.ids.owner] }),
    m('membersRestore', 'MemberIdsInput', { ...org, memberIds: [w.ids.revoked] }),
    m('membersRemove', 'MemberIdsInput', { ...org, memberIds: [w.ids.user] }),
    m('memberUpdate', 'MemberUpdateInput', { ...org, memberId: w.ids.user, role: 'OWNER', displayName: 'Pwned' }),
    m('memberGroupsSet', 'MemberGroupsSetInput', { ...org, memberId: w.ids.user, groupIds: [] }),
    m('groupCreate', 'GroupCreateInput', { ...org, displayName: 'Pwned' }),
    m('groupUpdate', 'GroupUpdateInput', { ...org, groupId: w.ids.group, displayName: 'Pwned' }),
    m('groupDelete', 'GroupDeleteInput', { ...org, groupId: w.ids.group }),
    m('groupMembersAdd', 'GroupMembersInput', { ...org, groupId: w.ids.group, memberIds: [w.ids.owner] }),
    m('groupMembersRemove', 'GroupMembersInput', { ...org, groupId: w.ids.group, memberIds: [w.ids.user] }),
    m('groupRoleMappingSet', 'GroupRoleMappingSetInput', { ...org, groupId: w.ids.group, role: 'ADMIN' }),
    m('groupRoleMappingClear', 'GroupRoleMappingClearInput', { ...org, groupId: w.ids.group }),
    m('memberRoleSourceSet', 'MemberRoleSourceSetInput', { ...org, memberId: w.ids.user, roleSource: 'GROUPS' }),
    m('scimSettingsUpdate', 'ScimSettingsUpdateInput', { ...org, enabled: false }),
    m('scimApiKeyRotate', 'ScimApiKeyRotateInput', org),
    m('invitationAccept', 'InvitationAcceptInput', { token: w.invitationToken }, false),
    m('accessTokenRevoke', 'AccessTokenRevokeInput', { id: w.ids.ownerTokenId }, false),
  ];
}

const SNAPSHOT = `query($id: ID!) { organization(id: $id) {
  name seats { limit }
  members(first: 100) { nodes { id email status role displayName permissions { manageUsers manageGroups } groups { nodes { id } } } }
  groups { nodes { id displayName members { nodes { id } } } }
  scim { enabled apiKey { hint } }
  events { totalCount }
} }`;

const refused = (res: GqlResponse, name: string) => ({
  data: res.body.data?.[name] ?? null,
  codes: codes(res),
  userErrors: res.body.data?.[name]?.userErrors ?? [],
});

describe(`authorization (${engineName()})`, () => {
  it("refuses every mutation to a USER-role member and to another organization's owner, and changes nothing", async () => {
    const w = await world();
    const before = await ok(t.app, w.a.ownerToken, SNAPSHOT, { id: w.a.orgId });
    const mutations = sweep(w);
    expect(mutations).toHaveLength(21);

    for (const { name, query, input, orgScoped } of mutations) {
      const asUser = refused(await gql(t.app, w.tokens.user, query, { input }), name);
      const asOutsider = refused(await gql(t.app, w.b.ownerToken, query, { input }), name);
      if (orgScoped) {
        expect({ name, ...asUser }).toEqual({ name, data: null, codes: ['FORBIDDEN'], userErrors: [] });
        // Another organization's ids read as unknown ids: NOT_FOUND, never FORBIDDEN.
        expect({ name, ...asOutsider }).toEqual({ name, data: null, codes: ['NOT_FOUND'], userErrors: [] });
      } else if (name === 'invitationAccept') {
        for (const r of [asUser, asOutsider]) expect(r.userErrors).toEqual([{ code: 'EMAIL_MISMATCH' }]);
      } else {
        for (const r of [asUser, asOutsider]) expect(r.codes).toEqual(['NOT_FOUND']);
      }
    }

    const after = await ok(t.app, w.a.ownerToken, SNAPSHOT, { id: w.a.orgId });
    expect(after).toEqual(before);
  });

  it("answers another organization's ids exactly like ids that do not exist", async () => {
    const w = await world();
    const Q = `query($id: ID!) { organization(id: $id) { name } node(id: $id) { id } }`;
    const strip = (res: GqlResponse) =>
      (res.body.errors ?? [])
        .map((e) => ({ message: e.message, code: e.extensions?.code, path: e.path }))
        .sort((x, y) => String(x.path).localeCompare(String(y.path)));
    for (const id of [w.a.orgId, w.ids.owner, w.ids.group]) {
      const theirs = await gql(t.app, w.b.ownerToken, Q, { id });
      const nothing = await gql(t.app, w.b.ownerToken, Q, { id: RANDOM_ID });
      expect(theirs.body.data).toEqual({ organization: null, node: null });
      expect(strip(theirs).map((e) => e.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
      // Same messages, same codes, same paths: nothing tells the two apart.
      expect(strip(theirs)).toEqual(strip(nothing));
    }
    const members = await gql(
      t.app,
      w.b.ownerToken,
      `query($id: ID!, $b: ID!) { organization(id: $b) { member(id: $id) { email } } }`,
      { id: w.ids.owner, b: w.b.orgId },
    );
    expect(members.body.data).toEqual({ organization: { member: null } });
    expect(codes(members)).toEqual(['NOT_FOUND']);
  });

  it("shows a USER-role member its organization's name and itself, never other members", async () => {
    const w = await world();
    const res = await gql(
      t.app,
      w.tokens.user,
      `query($id: ID!, $owner: ID!, $group: ID!) {
      organization(id: $id) { name viewerPermissions { viewMembers manageMembers viewGroups } seats { used } members { totalCount } memberStatusCounts { total } groups { totalCount } scim { enabled } events { totalCount } owner: member(id: $owner) { email } }
      ownerNode: node(id: $owner) { id } groupNode: node(id: $group) { id }
      viewer { organizations { nodes { id } } }
    }`,
      { id: w.a.orgId, owner: w.ids.owner, group: w.ids.group },
    );
    expect(res.body.data).toEqual({
      organization: {
        name: 'Victim Inc',
        viewerPermissions: { viewMembers: false, manageMembers: false, viewGroups: false },
        seats: null,
        members: null,
        memberStatusCounts: null,
        groups: null,
        scim: null,
        events: null,
        owner: null,
      },
      ownerNode: null,
      groupNode: null,
      viewer: { organizations: { nodes: [{ id: w.a.orgId }] } },
    });
    const byPath = Object.fromEntries(res.body.errors!.map((e) => [e.path!.join('.'), e.extensions!.code]));
    expect(byPath).toEqual({
      'organization.seats': 'FORBIDDEN',
      'organization.members': 'FORBIDDEN',
      'organization.memberStatusCounts': 'FORBIDDEN',
      'organization.groups': 'FORBIDDEN',
      'organization.scim': 'FORBIDDEN',
      'organization.events': 'FORBIDDEN',
      'organization.owner': 'NOT_FOUND',
      ownerNode: 'NOT_FOUND',
      groupNode: 'NOT_FOUND',
    });
    expect(JSON.stringify(res.body)).not.toContain(w.a.ownerEmail);
  });

  it('gives an accepted but unconfirmed member nothing', async () => {
    const w = await world();
    const res = await gql(
      t.app,
      w.tokens.accepted,
      `query($id: ID!) { organization(id: $id) { name } viewer { organizations { totalCount } } }`,
      { id: w.a.orgId },
    );
    expect(res.body.data).toEqual({ organization: null, viewer: { organizations: { totalCount: 0 } } });
    expect(codes(res)).toEqual(['NOT_FOUND']);
  });

  it("grants a CUSTOM member exactly its flags, and keeps owners out of an admin's reach", async () => {
    const w = await world();
    const perms = await ok(
      t.app,
      w.tokens.custom,
      `query($id: ID!) { organization(id: $id) { viewerPermissions { viewMembers manageMembers viewGroups manageGroups manageScim viewEvents } } }`,
      { id: w.a.orgId },
    );
    expect(perms.organization.viewerPermissions).toEqual({
      viewMembers: false,
      manageMembers: false,
      viewGroups: true,
      manageGroups: true,
      manageScim: false,
      viewEvents: false,
    });
    const created = await ok(
      t.app,
      w.tokens.custom,
      `mutation($input: GroupCreateInput!) { groupCreate(input: $input) { group { displayName members { totalCount } } } }`,
      { input: { organizationId: w.a.orgId, displayName: 'Custom made', memberIds: [w.ids.user] } },
    );
    expect(created.groupCreate.group).toEqual({ displayName: 'Custom made', members: { totalCount: 1 } });
    const invite = await gql(
      t.app,
      w.tokens.custom,
      `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
      { input: { organizationId: w.a.orgId, emails: [`x-${unique()}@example.test`] } },
    );
    expect(codes(invite)).toEqual(['FORBIDDEN']);

    const revokeOwner = await ok(
      t.app,
      w.tokens.admin,
      `mutation($input: MembersRevokeInput!) { membersRevoke(input: $input) { results { member { id } userErrors { code field } } } }`,
      { input: { organizationId: w.a.orgId, memberIds: [w.ids.owner] } },
    );
    expect(revokeOwner.membersRevoke.results).toEqual([
      { member: null, userErrors: [{ code: 'FORBIDDEN', field: 'memberIds[0]' }] },
    ]);
    const inviteOwner = await ok(
      t.app,
      w.tokens.admin,
      `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { results { userErrors { code } } } }`,
      { input: { organizationId: w.a.orgId, emails: [`boss-${unique()}@example.test`], role: 'OWNER' } },
    );
    expect(inviteOwner.membersInvite.results[0].userErrors).toEqual([{ code: 'FORBIDDEN' }]);
    const can = await ok(
      t.app,
      w.tokens.admin,
      `query($id: ID!, $owner: ID!, $user: ID!) { organization(id: $id) { viewerPermissions { manageOwners } owner: member(id: $owner) { viewerCan { update changeRole revoke remove } } user: member(id: $user) { viewerCan { changeRole revoke restore remove } } } }`,
      { id: w.a.orgId, owner: w.ids.owner, user: w.ids.user },
    );
    expect(can.organization).toEqual({
      viewerPermissions: { manageOwners: false },
      // An admin has no authority over an owner at all (not even its name).
      owner: { viewerCan: { update: false, changeRole: false, revoke: false, remove: false } },
      user: { viewerCan: { changeRole: true, revoke: true, restore: false, remove: true } },
    });
  });

  it("lets the self-service mutations touch only the viewer's own account", async () => {
    const w = await world();
    const created = await ok(
      t.app,
      w.tokens.user,
      `mutation { accessTokenCreate(input: { name: "laptop" }) { token accessToken { id name } } }`,
    );
    const own = created.accessTokenCreate.accessToken.id;
    const revokeOthers = await gql(
      t.app,
      w.tokens.user,
      `mutation($id: ID!) { accessTokenRevoke(input: { id: $id }) { accessToken { id } } }`,
      { id: w.ids.ownerTokenId },
    );
    expect(codes(revokeOthers)).toEqual(['NOT_FOUND']);
    expect((await gql(t.app, w.a.ownerToken, `{ viewer { user { id } } }`)).status).toBe(200);
    const mine = await ok(t.app, created.accessTokenCreate.token, `{ viewer { accessTokens { id name } } }`);
    expect(mine.viewer.accessTokens).toContainEqual({ id: own, name: 'laptop' });
  });
});
