import { cliActor } from '../../src/domain/actor';
import { type MemberPermissions, MemberRole } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { GROUP_SCHEMA, PATCH_SCHEMA, type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';
import { gql, ok, tokenFor } from './gql';

/**
 * Group role mappings through SCIM and GraphQL: a SCIM member's role follows the mappings of its groups in the
 * transaction of every group change; owners and manual roles are left alone; setting a mapping obeys the grant rule.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const MEMBER = `query ($id: ID!) { node(id: $id) { ... on Member { id role roleSource
  permissions { manageUsers manageGroups accessEventLogs } roleGrantedBy { id displayName } } } }`;

const SET = `mutation ($input: GroupRoleMappingSetInput!) { groupRoleMappingSet(input: $input) {
  group { id roleMapping { role permissions { manageGroups accessEventLogs } } } userErrors { code message field } } }`;

const CLEAR = `mutation ($input: GroupRoleMappingClearInput!) { groupRoleMappingClear(input: $input) {
  group { id roleMapping { role } } userErrors { code message } } }`;

const UPDATE = `mutation ($input: MemberUpdateInput!) { memberUpdate(input: $input) {
  member { role } userErrors { code message field } } }`;

const SOURCE = `mutation ($input: MemberRoleSourceSetInput!) { memberRoleSourceSet(input: $input) {
  member { role roleSource roleGrantedBy { displayName } } userErrors { code message } } }`;

async function scimUser(o: ScimOrg): Promise<string> {
  const res = await scim(t, o).post('/Users', newUser());
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function scimGroup(o: ScimOrg, name = `G ${unique()}`, memberIds: string[] = []): Promise<string> {
  const res = await scim(t, o).post('/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName: name,
    members: memberIds.map((value) => ({ value })),
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const patchMembers = (o: ScimOrg, groupId: string, op: 'add' | 'remove', ids: string[]) =>
  scim(t, o).patch(`/Groups/${groupId}`, {
    schemas: [PATCH_SCHEMA],
    Operations:
      op === 'add'
        ? [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }]
        : ids.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
  });

async function member(o: ScimOrg, id: string) {
  return (await ok(t.app, o.ownerToken, MEMBER, { id })).node as {
    role: MemberRole;
    roleSource: string;
    permissions: Partial<MemberPermissions>;
    roleGrantedBy: { id: string; displayName: string } | null;
  };
}

async function setMapping(
  o: ScimOrg,
  groupId: string,
  role: MemberRole,
  permissions?: Partial<MemberPermissions>,
  token = o.ownerToken,
) {
  const data = await ok(t.app, token, SET, { input: { organizationId: o.orgId, groupId, role, permissions } });
  return data.groupRoleMappingSet as { group: unknown; userErrors: { code: string; message: string }[] };
}

/** A confirmed CUSTOM member with the given flags, and an access token for it. */
async function customMember(o: ScimOrg, permissions: Partial<MemberPermissions>) {
  const email = `c-${unique()}@example.test`;
  const { member: m, invitationToken } = await t.services.memberLifecycle.invite(cliActor(), o.orgId, {
    email,
    role: MemberRole.CUSTOM,
    permissions,
  });
  const token = await tokenFor(t.services, email);
  const user = await t.services.tokens.userForEmail(email);
  await t.services.memberLifecycle.accept({ kind: 'USER', userId: user.id, email }, invitationToken);
  await t.services.memberLifecycle.confirm(cliActor(), o.orgId, m.id);
  return { id: m.id, token };
}

describe(`group role mappings (${engineName()})`, () => {
  it('a SCIM member added to a mapped group gets its role, and the default back when removed, audited', async () => {
    const o = await scimOrg(t);
    const userId = await scimUser(o);
    expect(await member(o, userId)).toMatchObject({ role: 'USER', roleSource: 'GROUPS', roleGrantedBy: null });
    const groupId = await scimGroup(o, 'Admins');
    const set = await setMapping(o, groupId, MemberRole.ADMIN);
    expect(set).toEqual({
      group: { id: groupId, roleMapping: expect.objectContaining({ role: 'ADMIN' }) },
      userErrors: [],
    });

    expect((await patchMembers(o, groupId, 'add', [userId])).status).toBeLessThan(300);
    expect(await member(o, userId)).toMatchObject({
      role: 'ADMIN',
      roleSource: 'GROUPS',
      roleGrantedBy: { id: groupId, displayName: 'Admins' },
    });

    expect((await patchMembers(o, groupId, 'remove', [userId])).status).toBeLessThan(300);
    expect(await member(o, userId)).toMatchObject({ role: 'USER', roleGrantedBy: null });

    const audit = await t.services.audit.list(cliActor(), o.orgId, { memberId: userId }, { first: 50 });
    const roleEvents = audit.items.filter((e) => e.type === 'member.updated');
    expect(roleEvents.map((e) => e.data)).toEqual([
      expect.objectContaining({ roleFrom: 'ADMIN', roleTo: 'USER', changedGroupId: groupId }),
      expect.objectContaining({ roleFrom: 'USER', roleTo: 'ADMIN', groupId, groupName: 'Admins' }),
    ]);
    // The SCIM key acted.
    expect(roleEvents.every((e) => e.actorKind === 'SCIM')).toBe(true);
  });

  it('the highest mapping wins, CUSTOM flags are the union, and clearing a mapping recomputes', async () => {
    const o = await scimOrg(t);
    const userId = await scimUser(o);
    const a = await scimGroup(o, 'A custom', [userId]);
    const b = await scimGroup(o, 'B custom', [userId]);
    const c = await scimGroup(o, 'C users', [userId]);
    await setMapping(o, c, MemberRole.USER);
    expect(await member(o, userId)).toMatchObject({ role: 'USER', roleGrantedBy: { id: c } });
    await setMapping(o, a, MemberRole.CUSTOM, { manageGroups: true });
    await setMapping(o, b, MemberRole.CUSTOM, { accessEventLogs: true });
    expect(await member(o, userId)).toMatchObject({
      role: 'CUSTOM',
      permissions: { manageUsers: false, manageGroups: true, accessEventLogs: true },
      roleGrantedBy: { id: a },
    });
    const admins = await scimGroup(o, 'Admins');
    await setMapping(o, admins, MemberRole.ADMIN);
    await patchMembers(o, admins, 'add', [userId]);
    expect(await member(o, userId)).toMatchObject({ role: 'ADMIN', roleGrantedBy: { id: admins } });

    const cleared = await ok(t.app, o.ownerToken, CLEAR, { input: { organizationId: o.orgId, groupId: admins } });
    expect(cleared.groupRoleMappingClear).toEqual({ group: { id: admins, roleMapping: null }, userErrors: [] });
    expect(await member(o, userId)).toMatchObject({ role: 'CUSTOM', permissions: { manageGroups: true } });
  });

  it('owners and members with a manual role are left alone', async () => {
    const o = await scimOrg(t);
    const manual = await customMember(o, { manageUsers: true });
    const groupId = await scimGroup(o, 'Everyone', [o.ownerMemberId, manual.id]);
    await setMapping(o, groupId, MemberRole.ADMIN);
    expect(await member(o, o.ownerMemberId)).toMatchObject({ role: 'OWNER', roleSource: 'MANUAL' });
    expect(await member(o, manual.id)).toMatchObject({ role: 'CUSTOM', roleSource: 'MANUAL', roleGrantedBy: null });

    // Switched to its groups, the manual member takes the mapped role; an owner cannot be switched.
    const switched = await ok(t.app, o.ownerToken, SOURCE, {
      input: { organizationId: o.orgId, memberId: manual.id, roleSource: 'GROUPS' },
    });
    expect(switched.memberRoleSourceSet).toEqual({
      member: { role: 'ADMIN', roleSource: 'GROUPS', roleGrantedBy: { displayName: 'Everyone' } },
      userErrors: [],
    });
    const owner = await gql(t.app, o.ownerToken, SOURCE, {
      input: { organizationId: o.orgId, memberId: o.ownerMemberId, roleSource: 'GROUPS' },
    });
    expect(owner.body.data?.memberRoleSourceSet.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    ]);
  });

  it('setting a mapping is giving its role: the grant rule applies to whoever sets it; never OWNER', async () => {
    const o = await scimOrg(t);
    const groupId = await scimGroup(o);
    const groupManager = await customMember(o, { manageGroups: true });

    const admin = await setMapping(o, groupId, MemberRole.ADMIN, undefined, groupManager.token);
    expect(admin.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    expect(admin.userErrors[0].message).toMatch(/ADMIN/);
    const foreignFlag = await setMapping(o, groupId, MemberRole.CUSTOM, { manageUsers: true }, groupManager.token);
    expect(foreignFlag.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    const ownFlag = await setMapping(o, groupId, MemberRole.CUSTOM, { manageGroups: true }, groupManager.token);
    expect(ownFlag.userErrors).toEqual([]);

    // A mapping set by an owner to ADMIN is out of the group manager's reach to replace or clear.
    await setMapping(o, groupId, MemberRole.ADMIN);
    const replace = await setMapping(o, groupId, MemberRole.USER, undefined, groupManager.token);
    expect(replace.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);

    const owner = await gql(t.app, o.ownerToken, SET, {
      input: { organizationId: o.orgId, groupId, role: 'OWNER' },
    });
    expect(owner.body.data?.groupRoleMappingSet.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: 'role' }),
    ]);
    const group = await t.services.groups.get(cliActor(), o.orgId, groupId);
    expect(group.roleMapping?.role).toBe('ADMIN');
  });

  it('a manual role change of a member whose role comes from groups is refused, naming the group', async () => {
    const o = await scimOrg(t);
    const userId = await scimUser(o);
    const groupId = await scimGroup(o, 'Engineering', [userId]);
    await setMapping(o, groupId, MemberRole.CUSTOM, { manageGroups: true });
    const refused = await ok(t.app, o.ownerToken, UPDATE, {
      input: { organizationId: o.orgId, memberId: userId, role: 'ADMIN' },
    });
    expect(refused.memberUpdate.member).toBeNull();
    expect(refused.memberUpdate.userErrors).toEqual([
      expect.objectContaining({
        code: 'INVALID_STATE',
        field: 'role',
        message: expect.stringContaining('"Engineering"'),
      }),
    ]);
    expect(await member(o, userId)).toMatchObject({ role: 'CUSTOM' });
    // What the viewer may do says so beforehand.
    const can = await ok(
      t.app,
      o.ownerToken,
      `query ($id: ID!) { node(id: $id) { ... on Member {
      viewerCan { changeRole changePermissions grantableRoles update } } } }`,
      { id: userId },
    );
    expect(can.node.viewerCan).toEqual({
      changeRole: false,
      changePermissions: false,
      grantableRoles: [],
      update: true,
    });

    const other = await scimUser(o);
    const noGroup = await ok(t.app, o.ownerToken, UPDATE, {
      input: { organizationId: o.orgId, memberId: other, role: 'ADMIN' },
    });
    expect(noGroup.memberUpdate.userErrors[0].message).toMatch(/its groups/);

    // Switched to a manual role it keeps the role it has, and then changes by hand.
    const manual = await ok(t.app, o.ownerToken, SOURCE, {
      input: { organizationId: o.orgId, memberId: userId, roleSource: 'MANUAL' },
    });
    expect(manual.memberRoleSourceSet.member).toEqual({ role: 'CUSTOM', roleSource: 'MANUAL', roleGrantedBy: null });
    const changed = await ok(t.app, o.ownerToken, UPDATE, {
      input: { organizationId: o.orgId, memberId: userId, role: 'ADMIN' },
    });
    expect(changed.memberUpdate).toEqual({ member: { role: 'ADMIN' }, userErrors: [] });
  });

  it('deleting a mapped group (SCIM DELETE) and removing members (SCIM PATCH) recompute', async () => {
    const o = await scimOrg(t);
    const [u1, u2] = [await scimUser(o), await scimUser(o)];
    const admins = await scimGroup(o, 'Admins', [u1, u2]);
    await setMapping(o, admins, MemberRole.ADMIN);
    expect((await member(o, u2)).role).toBe('ADMIN');

    // The membership of a pushed group is the identity provider's: GraphQL refuses to change it.
    const refused = await ok(
      t.app,
      o.ownerToken,
      `mutation ($input: GroupMembersInput!) { groupMembersRemove(input: $input) { userErrors { code } } }`,
      { input: { organizationId: o.orgId, groupId: admins, memberIds: [u2] } },
    );
    expect(refused.groupMembersRemove.userErrors).toEqual([{ code: 'MANAGED_BY_IDP' }]);
    expect((await member(o, u2)).role).toBe('ADMIN');
    const removed = await scim(t, o).patch(`/Groups/${admins}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'remove', path: `members[value eq "${u2}"]` }],
    });
    expect(removed.status).toBeLessThan(300);
    expect((await member(o, u2)).role).toBe('USER');

    expect((await scim(t, o).delete(`/Groups/${admins}`)).status).toBe(204);
    expect(await member(o, u1)).toMatchObject({ role: 'USER', roleGrantedBy: null });
  });

  it('recomputes a 10,000-member group set-based, well under the bound', async () => {
    const o = await scimOrg(t);
    const groupId = await scimGroup(o, 'Everyone');
    const em = t.orm.em.fork();
    await em.execute(
      `insert into member (id, organization_id, email, user_name, role, permissions, status, source, role_source)
       select gen_random_uuid(), ?, 'bulk-' || i || '@example.test', 'bulk-' || i, 'USER', '{}'::jsonb, 'STAGED', 'SCIM', 'GROUPS'
         from generate_series(1, 10000) i`,
      [o.orgId],
    );
    await em.execute(
      `insert into group_membership (group_id, member_id) select ?, id from member where organization_id = ? and email like 'bulk-%'`,
      [groupId, o.orgId],
    );
    const started = performance.now();
    const set = await setMapping(o, groupId, MemberRole.ADMIN);
    const elapsed = performance.now() - started;
    console.log(`group role mapping recompute of 10,000 members: ${elapsed.toFixed(0)} ms`);
    expect(set.userErrors).toEqual([]);
    const [row] = await em.execute<{ admins: string; events: string }[]>(
      `select (select count(*) from member where organization_id = ? and role = 'ADMIN')::text as admins,
              (select count(*) from audit_event where organization_id = ? and type = 'member.updated')::text as events`,
      [o.orgId, o.orgId],
    );
    expect(row).toEqual({ admins: '10000', events: '10000' });
    // Well under a second on a quiet machine; the bound leaves room for a shared, loaded one.
    expect(elapsed).toBeLessThan(5000);
  }, 60_000);
});
