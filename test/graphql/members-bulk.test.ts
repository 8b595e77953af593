/**
 * Bulk work on members through the real Express app: every row its own transaction and its own result, authorized
 * as the single change is; "select all N matching" through memberIds; the roles a picker may offer.
 */
import { cliActor } from '../../src/domain/actor';
import { MemberRole, MemberStatus } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization, unique, userActor } from '../helpers/factories';
import { newUser, scim, scimOrg } from '../helpers/scim';
import { codes, gql, invitationTokenOf, ok, tokenFor } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const RESULTS = `results { memberId member { id status role revocationReason } userErrors { code message field } }`;
const mutation = (name: string, input: string) =>
  `mutation($input: ${input}!) { ${name}(input: $input) { ${RESULTS} } }`;

/** A member INVITED by the owner and ACCEPTED by its invitee. */
async function acceptedMember(orgId: string) {
  const email = `a-${unique()}@example.test`;
  const { member, invitationToken } = await t.services.memberLifecycle.invite(cliActor(), orgId, { email });
  await t.services.memberLifecycle.accept(await userActor(t.services, email), invitationToken);
  return member.id;
}

/** A confirmed member with `role` and its access token. */
async function withRole(orgId: string, role: MemberRole) {
  const m = await confirmedMember(t.services, orgId, role as never);
  return { id: m.member.id, token: await tokenFor(t.services, m.email) };
}

const statusOf = async (orgId: string, id: string) =>
  (await t.services.memberProfiles.get(cliActor(), orgId, id)).status;

describe(`bulk member mutations (${engineName()})`, () => {
  it('sends STAGED members their invitation, with a per-row error for the others and the unknown', async () => {
    const o = await scimOrg(t, { staged: true });
    const { orgId, ownerToken } = { orgId: o.orgId, ownerToken: o.ownerToken };
    const created = await scim(t, o).post('/Users', newUser());
    expect(created.body.id).toBeDefined();
    const staged = { id: created.body.id as string };
    expect(await statusOf(orgId, staged.id)).toBe(MemberStatus.STAGED);
    const confirmed = await withRole(orgId, MemberRole.USER);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const data = await ok(t.app, ownerToken, mutation('membersSendInvitation', 'MemberIdsInput'), {
      input: { organizationId: orgId, memberIds: [staged.id, confirmed.id, unknown] },
    });
    const [sent, wrongState, missing] = data.membersSendInvitation.results;
    expect(sent).toMatchObject({ memberId: staged.id, member: { status: 'INVITED' }, userErrors: [] });
    expect(await invitationTokenOf(t.orm, staged.id)).toMatch(/^inv_/);
    expect(wrongState).toMatchObject({ member: null, userErrors: [{ code: 'INVALID_STATE', field: 'memberIds[1]' }] });
    expect(missing).toMatchObject({ member: null, userErrors: [{ code: 'NOT_FOUND', field: 'memberIds[2]' }] });
    expect(await statusOf(orgId, confirmed.id)).toBe(MemberStatus.CONFIRMED);
  });

  it('revokes with one reason for all, each row on its own: the last owner fails alone', async () => {
    const { orgId, ownerId, ownerToken } = await makeOrganization(t.services);
    const a = await withRole(orgId, MemberRole.USER);
    const b = await withRole(orgId, MemberRole.ADMIN);
    const data = await ok(t.app, ownerToken, mutation('membersRevoke', 'MembersRevokeInput'), {
      input: { organizationId: orgId, memberIds: [a.id, ownerId, b.id], reason: 'left the company' },
    });
    const rows = data.membersRevoke.results;
    expect(rows.map((r: any) => r.member?.status ?? r.userErrors[0].code)).toEqual([
      'REVOKED',
      'LAST_OWNER',
      'REVOKED',
    ]);
    expect(rows[0].member.revocationReason).toBe('left the company');
    const events = await t.services.audit.list(
      cliActor(),
      orgId,
      { memberId: b.id, types: ['member.revoked'] },
      {
        first: 5,
      },
    );
    expect(events.items[0].data).toMatchObject({ reason: 'left the company', from: 'CONFIRMED', to: 'REVOKED' });
    expect(events.items[0].data).not.toHaveProperty('keepRevoked');
  });

  it('changes roles per row as memberUpdate would: an ADMIN cannot bulk-promote to OWNER, nor change itself', async () => {
    const { orgId, ownerId } = await makeOrganization(t.services);
    const admin = await withRole(orgId, MemberRole.ADMIN);
    const users = [await withRole(orgId, MemberRole.USER), await withRole(orgId, MemberRole.USER)];
    const ids = users.map((u) => u.id);

    const options = await ok(
      t.app,
      admin.token,
      `query($id: ID!) { organization(id: $id) { viewerPermissions { roleOptions { role allowed reason } } } }`,
      { id: orgId },
    );
    expect(options.organization.viewerPermissions.roleOptions).toEqual([
      { role: 'OWNER', allowed: false, reason: 'not allowed to give the OWNER role' },
      { role: 'ADMIN', allowed: true, reason: null },
      { role: 'CUSTOM', allowed: true, reason: null },
      { role: 'USER', allowed: true, reason: null },
    ]);

    // Per member too, and in agreement with grantableRoles: the owner is out of an admin's reach altogether.
    const perMember = await ok(
      t.app,
      admin.token,
      `query($id: ID!, $u: ID!, $o: ID!) { organization(id: $id) {
        user: member(id: $u) { viewerCan { grantableRoles roleOptions { role allowed reason } } }
        owner: member(id: $o) { viewerCan { grantableRoles roleOptions { role allowed reason } } } } }`,
      { id: orgId, u: ids[0], o: ownerId },
    );
    expect(perMember.organization.user.viewerCan).toEqual({
      grantableRoles: ['ADMIN', 'CUSTOM'],
      roleOptions: [
        { role: 'OWNER', allowed: false, reason: 'not allowed to give the OWNER role' },
        { role: 'ADMIN', allowed: true, reason: null },
        { role: 'CUSTOM', allowed: true, reason: null },
        { role: 'USER', allowed: true, reason: null },
      ],
    });
    expect(perMember.organization.owner.viewerCan.grantableRoles).toEqual([]);
    expect(perMember.organization.owner.viewerCan.roleOptions).toEqual([
      { role: 'OWNER', allowed: true, reason: null },
      ...['ADMIN', 'CUSTOM', 'USER'].map((role) => ({
        role,
        allowed: false,
        reason: 'not allowed to manage a member whose role is OWNER',
      })),
    ]);

    const promote = await ok(t.app, admin.token, mutation('membersChangeRole', 'MembersChangeRoleInput'), {
      input: { organizationId: orgId, memberIds: ids, role: 'OWNER' },
    });
    // Refused with the very words roleOptions gave.
    for (const row of promote.membersChangeRole.results)
      expect(row).toMatchObject({
        member: null,
        userErrors: [{ code: 'FORBIDDEN', message: 'not allowed to give the OWNER role' }],
      });
    for (const id of ids)
      expect((await t.services.memberProfiles.get(cliActor(), orgId, id)).role).toBe(MemberRole.USER);

    const toCustom = await ok(t.app, admin.token, mutation('membersChangeRole', 'MembersChangeRoleInput'), {
      input: { organizationId: orgId, memberIds: [...ids, admin.id], role: 'CUSTOM' },
    });
    expect(toCustom.membersChangeRole.results.map((r: any) => r.member?.role ?? r.userErrors[0].code)).toEqual([
      'CUSTOM',
      'CUSTOM',
      'FORBIDDEN',
    ]);
    expect(toCustom.membersChangeRole.results[2].userErrors[0].message).toBe(
      'nobody changes their own role or permission flags',
    );
  });

  it("a manager of one organization touches no member of another: each foreign id is that row's error", async () => {
    const a = await makeOrganization(t.services);
    const b = await makeOrganization(t.services);
    const manager = await confirmedMember(t.services, a.orgId, MemberRole.CUSTOM as never);
    await t.services.memberProfiles.update(cliActor(), a.orgId, manager.member.id, {
      permissions: { manageUsers: true, manageGroups: true },
    });
    const token = await tokenFor(t.services, manager.email);
    const own = await withRole(a.orgId, MemberRole.USER);
    const foreign = await withRole(b.orgId, MemberRole.USER);
    const group = await t.services.groups.create(cliActor(), a.orgId, { displayName: `Team ${unique()}` });

    const revoke = await ok(t.app, token, mutation('membersRevoke', 'MembersRevokeInput'), {
      input: { organizationId: a.orgId, memberIds: [own.id, foreign.id] },
    });
    expect(revoke.membersRevoke.results.map((r: any) => r.member?.status ?? r.userErrors[0].code)).toEqual([
      'REVOKED',
      'NOT_FOUND',
    ]);
    const add = await ok(t.app, token, mutation('membersAddToGroup', 'MembersAddToGroupInput'), {
      input: { organizationId: a.orgId, groupId: group.id, memberIds: [own.id, foreign.id] },
    });
    expect(add.membersAddToGroup.results.map((r: any) => r.member?.id ?? r.userErrors[0].code)).toEqual([
      own.id,
      'UNKNOWN_MEMBERS',
    ]);
    const role = await ok(t.app, token, mutation('membersChangeRole', 'MembersChangeRoleInput'), {
      input: { organizationId: a.orgId, memberIds: [foreign.id], role: 'CUSTOM' },
    });
    expect(role.membersChangeRole.results[0].userErrors[0].code).toBe('NOT_FOUND');
    expect(await statusOf(b.orgId, foreign.id)).toBe(MemberStatus.CONFIRMED);
    expect((await t.services.memberProfiles.get(cliActor(), b.orgId, foreign.id)).role).toBe(MemberRole.USER);

    // The other organization itself (its id in the input) fails the whole call.
    const whole = await gql(t.app, token, mutation('membersRevoke', 'MembersRevokeInput'), {
      input: { organizationId: b.orgId, memberIds: [foreign.id] },
    });
    expect(codes(whole)).toEqual(['NOT_FOUND']);
  });

  it('refuses more than 100 ids in one call', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    const ids = Array.from({ length: 101 }, () => crypto.randomUUID());
    const res = await gql(t.app, ownerToken, mutation('membersRestore', 'MemberIdsInput'), {
      input: { organizationId: orgId, memberIds: ids },
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('confirms all accepted members, however many: memberIds selects them, membersConfirm takes 100 a call', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    const accepted: string[] = [];
    for (let i = 0; i < 105; i++) accepted.push(await acceptedMember(orgId));
    const other = await withRole(orgId, MemberRole.USER);

    const IDS = `query($id: ID!, $filter: MemberFilter, $limit: Int) { organization(id: $id) {
      memberIds(filter: $filter, limit: $limit) { ids totalCount truncated } } }`;
    const filter = { statuses: ['ACCEPTED'] };
    const capped = await ok(t.app, ownerToken, IDS, { id: orgId, filter, limit: 10 });
    expect(capped.organization.memberIds).toMatchObject({ totalCount: 105, truncated: true });
    expect(capped.organization.memberIds.ids).toHaveLength(10);
    const all = (await ok(t.app, ownerToken, IDS, { id: orgId, filter })).organization.memberIds;
    expect(all).toMatchObject({ totalCount: 105, truncated: false });
    expect([...all.ids].sort()).toEqual([...accepted].sort());
    expect(all.ids).not.toContain(other.id);

    const confirmed: string[] = [];
    for (let i = 0; i < all.ids.length; i += 100) {
      const batch = await ok(
        t.app,
        ownerToken,
        `mutation($input: MembersConfirmInput!) { membersConfirm(input: $input) { ${RESULTS} } }`,
        {
          input: {
            organizationId: orgId,
            members: all.ids.slice(i, i + 100).map((memberId: string) => ({ memberId })),
          },
        },
      );
      for (const row of batch.membersConfirm.results)
        if (row.member?.status === 'CONFIRMED') confirmed.push(row.memberId);
    }
    expect(confirmed).toHaveLength(105);
    const counts = await t.services.memberProfiles.statusCounts(cliActor(), orgId);
    expect(counts[MemberStatus.ACCEPTED]).toBe(0);

    expect(codes(await gql(t.app, ownerToken, IDS, { id: orgId, filter, limit: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(t.app, ownerToken, IDS, { id: orgId, filter, limit: 10_001 }))).toEqual(['BAD_USER_INPUT']);
    // A plain USER lists no member, so it selects none either.
    const denied = await gql(t.app, other.token, IDS, { id: orgId, filter });
    expect(codes(denied)).toEqual(['FORBIDDEN']);
  }, 60_000);
});
