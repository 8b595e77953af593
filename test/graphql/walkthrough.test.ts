import { MemberStatus } from '../../src/domain/enums';
import { Member } from '../../src/entities';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { makeOrganization, unique } from '../helpers/factories';
import { gql, invitationTokenOf, ok, tokenFor } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const INVITE = `mutation($input: MembersInviteInput!) {
  membersInvite(input: $input) { results { email member { id status role } userErrors { code field } } userErrors { code message field } }
}`;
const MEMBERS_ACTION = (name: string, inputType: string) => `mutation($input: ${inputType}!) {
  ${name}(input: $input) { results { memberId member { id status } userErrors { code message field } } userErrors { code field } }
}`;

const READ_ALL = `query($id: ID!) {
  organization(id: $id) {
    id name
    seats { used limit }
    memberStatusCounts { invited accepted confirmed revoked total }
    viewerPermissions { manageMembers manageOwners manageScim viewEvents }
    members(first: 10, orderBy: { field: EMAIL }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id email role status user { email } viewerCan { revoke restore confirm } groups { totalCount nodes { displayName } } } }
    }
    groups(first: 10) { totalCount nodes { id displayName members(first: 10) { totalCount nodes { email } } } }
    scim { enabled provider endpointUrl apiKey { hint createdAt } }
    events(first: 50) { totalCount nodes { type occurredAt actor { kind member { email } } target { type id member { email } } data } }
  }
}`;

describe(`GraphQL walkthrough (${engineName()})`, () => {
  it('invite two, accept one as itself, confirm, revoke, restore, group both, rotate the SCIM key, read it all back and the audit trail', async () => {
    const { app, services, orm } = t;
    const { orgId, ownerToken, ownerEmail } = await makeOrganization(services, 'Acme');
    const alice = `alice-${unique()}@acme.test`;
    const bob = `bob-${unique()}@acme.test`;

    const invited = (
      await ok(app, ownerToken, INVITE, { input: { organizationId: orgId, emails: [alice, bob], role: 'USER' } })
    ).membersInvite;
    expect(invited.userErrors).toEqual([]);
    expect(invited.results.map((r: any) => [r.email, r.member.status])).toEqual([
      [alice, 'INVITED'],
      [bob, 'INVITED'],
    ]);
    const [aliceId, bobId] = invited.results.map((r: any) => r.member.id);

    // Alice accepts with the token from her e-mail, signed in as herself.
    const aliceToken = await tokenFor(services, alice);
    const accepted = await ok(
      app,
      aliceToken,
      `mutation($input: InvitationAcceptInput!) { invitationAccept(input: $input) { member { id status viewerCan { revoke } } userErrors { code } } }`,
      {
        input: { token: await invitationTokenOf(orm, aliceId) },
      },
    );
    expect(accepted.invitationAccept).toEqual({
      member: { id: aliceId, status: 'ACCEPTED', viewerCan: { revoke: false } },
      userErrors: [],
    });

    const confirmed = await ok(app, ownerToken, MEMBERS_ACTION('membersConfirm', 'MembersConfirmInput'), {
      input: { organizationId: orgId, members: [{ memberId: aliceId, key: 'wrapped-key' }] },
    });
    expect(confirmed.membersConfirm.results[0].member.status).toBe('CONFIRMED');
    const revoked = await ok(app, ownerToken, MEMBERS_ACTION('membersRevoke', 'MembersRevokeInput'), {
      input: { organizationId: orgId, memberIds: [aliceId], reason: 'laptop lost' },
    });
    expect(revoked.membersRevoke.results[0].member.status).toBe('REVOKED');
    const restored = await ok(app, ownerToken, MEMBERS_ACTION('membersRestore', 'MemberIdsInput'), {
      input: { organizationId: orgId, memberIds: [aliceId] },
    });
    expect(restored.membersRestore.results[0].member.status).toBe('CONFIRMED');

    const group = await ok(
      app,
      ownerToken,
      `mutation($input: GroupCreateInput!) { groupCreate(input: $input) { group { id displayName members { totalCount } } userErrors { code } } }`,
      {
        input: { organizationId: orgId, displayName: 'Engineering', memberIds: [aliceId, bobId] },
      },
    );
    expect(group.groupCreate.group).toMatchObject({ displayName: 'Engineering', members: { totalCount: 2 } });

    await ok(
      app,
      ownerToken,
      `mutation($input: ScimSettingsUpdateInput!) { scimSettingsUpdate(input: $input) { scim { enabled } userErrors { code } } }`,
      {
        input: { organizationId: orgId, enabled: true, provider: 'JUMPCLOUD' },
      },
    );
    const rotated = (
      await ok(
        app,
        ownerToken,
        `mutation($input: ScimApiKeyRotateInput!) { scimApiKeyRotate(input: $input) { apiKey scim { apiKey { hint } } userErrors { code } } }`,
        { input: { organizationId: orgId } },
      )
    ).scimApiKeyRotate;
    expect(rotated.apiKey).toMatch(/^scim_/);
    expect(rotated.apiKey.endsWith(rotated.scim.apiKey.hint.slice(1))).toBe(true);
    expect(await services.scimSettings.verifyKey(orgId, rotated.apiKey)).toBe(true);

    const org = (await ok(app, ownerToken, READ_ALL, { id: orgId })).organization;
    expect(org.seats).toEqual({ used: 3, limit: null });
    expect(org.memberStatusCounts).toEqual({ invited: 1, accepted: 0, confirmed: 2, revoked: 0, total: 3 });
    expect(org.viewerPermissions).toEqual({
      manageMembers: true,
      manageOwners: true,
      manageScim: true,
      viewEvents: true,
    });
    const byEmail = Object.fromEntries(org.members.edges.map((e: any) => [e.node.email, e.node]));
    expect(org.members.totalCount).toBe(3);
    expect(byEmail[alice]).toMatchObject({
      status: 'CONFIRMED',
      user: { email: alice },
      viewerCan: { revoke: true, restore: false },
      groups: { totalCount: 1, nodes: [{ displayName: 'Engineering' }] },
    });
    expect(byEmail[bob]).toMatchObject({
      status: 'INVITED',
      user: null,
      groups: { nodes: [{ displayName: 'Engineering' }] },
    });
    expect(byEmail[ownerEmail]).toMatchObject({ role: 'OWNER', status: 'CONFIRMED' });
    expect(org.groups.nodes[0].members).toEqual({ totalCount: 2, nodes: [{ email: alice }, { email: bob }] });
    expect(org.scim).toMatchObject({
      enabled: true,
      provider: 'JUMPCLOUD',
      endpointUrl: `http://orgd.test/scim/v2/${orgId}`,
      apiKey: { hint: rotated.scim.apiKey.hint },
    });

    // The audit trail, newest first: one event per change, with who did it.
    const events = org.events.nodes;
    expect(events.map((e: any) => e.type).reverse()).toEqual([
      'organization.created',
      'member.invited',
      'member.invited',
      'member.accepted',
      'member.confirmed',
      'member.revoked',
      'member.restored',
      'group.created',
      'scim.enabled',
      'scim.key_rotated',
    ]);
    const times = events.map((e: any) => Date.parse(e.occurredAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const accept = events.find((e: any) => e.type === 'member.accepted');
    expect(accept).toMatchObject({
      actor: { kind: 'USER', member: { email: alice } },
      target: { type: 'member', id: aliceId, member: { email: alice } },
    });
    const revoke = events.find((e: any) => e.type === 'member.revoked');
    expect(revoke).toMatchObject({
      actor: { kind: 'USER', member: { email: ownerEmail } },
      data: { from: 'CONFIRMED', to: 'REVOKED' },
    });

    // The audit trail filtered by member and type.
    const aliceEvents = await ok(
      app,
      ownerToken,
      `query($id: ID!, $m: ID!) { organization(id: $id) { events(filter: { memberId: $m, types: ["member.revoked", "member.restored"] }) { nodes { type } } } }`,
      { id: orgId, m: aliceId },
    );
    expect(aliceEvents.organization.events.nodes.map((e: any) => e.type)).toEqual([
      'member.restored',
      'member.revoked',
    ]);

    // Alice, a USER, sees her organization's name and herself, nothing more.
    const aliceView = await gql(
      app,
      aliceToken,
      `query($id: ID!, $bob: ID!, $alice: ID!) { organization(id: $id) { name me: member(id: $alice) { email } bob: member(id: $bob) { email } members { totalCount } } }`,
      { id: orgId, alice: aliceId, bob: bobId },
    );
    expect(aliceView.body.data!.organization).toEqual({ name: 'Acme', me: { email: alice }, bob: null, members: null });
    expect(aliceView.body.errors!.map((e) => [e.path!.join('.'), e.extensions!.code]).sort()).toEqual([
      ['organization.bob', 'NOT_FOUND'],
      ['organization.members', 'FORBIDDEN'],
    ]);
  });

  it('keeps the last confirmed owner: revoke and remove fail with LAST_OWNER, demoting oneself is FORBIDDEN, nothing changes', async () => {
    const { app, services } = t;
    const { orgId, ownerId, ownerToken } = await makeOrganization(services);
    const revoke = await ok(app, ownerToken, MEMBERS_ACTION('membersRevoke', 'MembersRevokeInput'), {
      input: { organizationId: orgId, memberIds: [ownerId] },
    });
    expect(revoke.membersRevoke.results[0]).toMatchObject({
      memberId: ownerId,
      member: null,
      userErrors: [{ code: 'LAST_OWNER', field: 'memberIds[0]' }],
    });
    expect(revoke.membersRevoke.userErrors).toEqual([{ code: 'LAST_OWNER', field: 'memberIds[0]' }]);
    const remove = await ok(app, ownerToken, MEMBERS_ACTION('membersRemove', 'MemberIdsInput'), {
      input: { organizationId: orgId, memberIds: [ownerId] },
    });
    expect(remove.membersRemove.results[0].userErrors[0].code).toBe('LAST_OWNER');
    const demote = await ok(
      app,
      ownerToken,
      `mutation($input: MemberUpdateInput!) { memberUpdate(input: $input) { member { id } userErrors { code message } } }`,
      {
        input: { organizationId: orgId, memberId: ownerId, role: 'USER' },
      },
    );
    // Nobody changes their own role: an owner demoting itself is refused before the last-owner guard is reached
    // (that guard still holds for operators: test/services/members.test.ts).
    expect(demote.memberUpdate).toEqual({
      member: null,
      userErrors: [{ code: 'FORBIDDEN', message: 'nobody changes their own role or permission flags' }],
    });
    const after = await ok(
      app,
      ownerToken,
      `query($id: ID!, $m: ID!) { organization(id: $id) { member(id: $m) { role status viewerCan { update changeRole revoke remove } } events { totalCount } } }`,
      { id: orgId, m: ownerId },
    );
    // viewerCan foresees the refusal, so a console greys the buttons out instead of offering a failing action.
    expect(after.organization).toEqual({
      member: {
        role: 'OWNER',
        status: 'CONFIRMED',
        viewerCan: { update: true, changeRole: false, revoke: false, remove: false },
      },
      events: { totalCount: 1 },
    });

    const second = (
      await ok(app, ownerToken, INVITE, {
        input: { organizationId: orgId, emails: [`second-${unique()}@example.test`], role: 'OWNER' },
      })
    ).membersInvite.results[0].member.id;
    await t.orm.em.fork().nativeUpdate(Member, { id: second }, { status: MemberStatus.CONFIRMED });
    const two = await ok(
      app,
      ownerToken,
      `query($id: ID!, $m: ID!) { organization(id: $id) { member(id: $m) { viewerCan { changeRole revoke remove } } } }`,
      { id: orgId, m: ownerId },
    );
    expect(two.organization.member.viewerCan).toEqual({ changeRole: false, revoke: true, remove: true });
  });

  it('says restore is impossible while the seats are full, as the mutation then answers SEAT_LIMIT', async () => {
    const { app, services } = t;
    const { orgId, ownerToken } = await makeOrganization(services);
    const invited = (
      await ok(app, ownerToken, INVITE, {
        input: {
          organizationId: orgId,
          emails: [`a-${unique()}@example.test`, `b-${unique()}@example.test`],
          role: 'USER',
        },
      })
    ).membersInvite.results.map((r: { member: { id: string } }) => r.member.id);
    await ok(app, ownerToken, MEMBERS_ACTION('membersRevoke', 'MembersRevokeInput'), {
      input: { organizationId: orgId, memberIds: [invited[0]] },
    });
    await ok(
      app,
      ownerToken,
      `mutation { organizationUpdate(input: { organizationId: "${orgId}", seatLimit: 2 }) { userErrors { code } } }`,
    );
    const CAN = `query($id: ID!, $m: ID!) { organization(id: $id) { seats { used limit } member(id: $m) { status viewerCan { restore remove } } } }`;
    const full = await ok(app, ownerToken, CAN, { id: orgId, m: invited[0] });
    expect(full.organization).toEqual({
      seats: { used: 2, limit: 2 },
      member: { status: 'REVOKED', viewerCan: { restore: false, remove: true } },
    });
    const refused = await ok(app, ownerToken, MEMBERS_ACTION('membersRestore', 'MemberIdsInput'), {
      input: { organizationId: orgId, memberIds: [invited[0]] },
    });
    expect(refused.membersRestore.results[0].userErrors[0].code).toBe('SEAT_LIMIT');

    await ok(app, ownerToken, MEMBERS_ACTION('membersRemove', 'MemberIdsInput'), {
      input: { organizationId: orgId, memberIds: [invited[1]] },
    });
    const free = await ok(app, ownerToken, CAN, { id: orgId, m: invited[0] });
    expect(free.organization.member.viewerCan).toEqual({ restore: true, remove: true });
  });

  it('answers a bulk call item by item: successes commit, failures are listed with their index', async () => {
    const { app, services } = t;
    const { orgId, ownerToken, ownerEmail } = await makeOrganization(services);
    const fresh = `new-${unique()}@example.test`;
    const res = (
      await ok(app, ownerToken, INVITE, {
        input: { organizationId: orgId, emails: [fresh, ownerEmail.toUpperCase()], role: 'ADMIN' },
      })
    ).membersInvite;
    expect(res.results[0]).toMatchObject({
      email: fresh,
      member: { status: 'INVITED', role: 'ADMIN' },
      userErrors: [],
    });
    expect(res.results[1].member).toBeNull();
    expect(['DUPLICATE_EMAIL', 'DUPLICATE_USER_NAME']).toContain(res.results[1].userErrors[0].code);
    expect(res.userErrors).toEqual([expect.objectContaining({ field: expect.stringMatching(/^emails\[1\]/) })]);

    const unknown = '00000000-0000-4000-8000-000000000000';
    const reinvite = await ok(app, ownerToken, MEMBERS_ACTION('membersReinvite', 'MemberIdsInput'), {
      input: { organizationId: orgId, memberIds: [res.results[0].member.id, unknown] },
    });
    expect(reinvite.membersReinvite.results.map((r: any) => r.userErrors.map((e: any) => e.code))).toEqual([
      [],
      ['NOT_FOUND'],
    ]);
    const confirmInvited = await ok(app, ownerToken, MEMBERS_ACTION('membersConfirm', 'MembersConfirmInput'), {
      input: { organizationId: orgId, members: [{ memberId: res.results[0].member.id }] },
    });
    expect(confirmInvited.membersConfirm.results[0].userErrors[0].code).toBe('INVALID_STATE');
  });

  it('reports invitation problems as userErrors: another address, a used or unknown token', async () => {
    const { app, services, orm } = t;
    const { orgId, ownerToken } = await makeOrganization(services);
    const email = `carol-${unique()}@example.test`;
    const invited = (await ok(app, ownerToken, INVITE, { input: { organizationId: orgId, emails: [email] } }))
      .membersInvite;
    const token = await invitationTokenOf(orm, invited.results[0].member.id);
    const ACCEPT = `mutation($token: String!) { invitationAccept(input: { token: $token }) { member { id } userErrors { code field } } }`;
    const stranger = await tokenFor(services, `mallory-${unique()}@example.test`);
    expect((await ok(app, stranger, ACCEPT, { token })).invitationAccept).toEqual({
      member: null,
      userErrors: [{ code: 'EMAIL_MISMATCH', field: 'token' }],
    });
    const carol = await tokenFor(services, email);
    const pending = await ok(app, carol, `{ viewer { pendingInvitations { memberId organizationId email role } } }`);
    expect(pending.viewer.pendingInvitations).toEqual([
      { memberId: invited.results[0].member.id, organizationId: orgId, email, role: 'USER' },
    ]);
    expect((await ok(app, carol, ACCEPT, { token })).invitationAccept.userErrors).toEqual([]);
    expect((await ok(app, carol, ACCEPT, { token })).invitationAccept.userErrors).toEqual([
      { code: 'INVALID_TOKEN', field: 'token' },
    ]);
    expect((await ok(app, carol, ACCEPT, { token: 'inv_nope' })).invitationAccept.userErrors[0].code).toBe(
      'INVALID_TOKEN',
    );
  });

  it('leaves an audit event for every organization-scoped mutation', async () => {
    const { app, services } = t;
    const { orgId, ownerToken } = await makeOrganization(services);
    const m = (
      await ok(app, ownerToken, INVITE, {
        input: { organizationId: orgId, emails: [`d-${unique()}@example.test`, `e-${unique()}@example.test`] },
      })
    ).membersInvite.results.map((r: any) => r.member.id);
    const run = (query: string, input: Record<string, unknown>) =>
      ok(app, ownerToken, query, { input: { organizationId: orgId, ...input } });
    await run(
      `mutation($input: OrganizationUpdateInput!) { organizationUpdate(input: $input) { organization { name } userErrors { code } } }`,
      { name: 'Renamed', seatLimit: 50 },
    );
    await run(
      `mutation($input: MemberUpdateInput!) { memberUpdate(input: $input) { member { name { givenName formatted } displayName role permissions { manageGroups } } userErrors { code } } }`,
      {
        memberId: m[0],
        role: 'CUSTOM',
        permissions: { manageGroups: true },
        name: { givenName: 'Dana', formatted: 'Dana D.' },
        displayName: 'Dana',
      },
    );
    const group = (
      await run(`mutation($input: GroupCreateInput!) { groupCreate(input: $input) { group { id } } }`, {
        displayName: 'Ops',
      })
    ).groupCreate.group.id;
    await run(
      `mutation($input: GroupUpdateInput!) { groupUpdate(input: $input) { group { displayName externalId } userErrors { code } } }`,
      { groupId: group, displayName: 'Operations', externalId: 'ext-ops' },
    );
    const added = await run(
      `mutation($input: GroupMembersInput!) { groupMembersAdd(input: $input) { group { members { totalCount } } userErrors { code } } }`,
      { groupId: group, memberIds: m },
    );
    expect(added.groupMembersAdd.group.members.totalCount).toBe(2);
    const removed = await run(
      `mutation($input: GroupMembersInput!) { groupMembersRemove(input: $input) { group { members { totalCount } } } }`,
      { groupId: group, memberIds: [m[1]] },
    );
    expect(removed.groupMembersRemove.group.members.totalCount).toBe(1);
    const set = await run(
      `mutation($input: MemberGroupsSetInput!) { memberGroupsSet(input: $input) { member { groups { nodes { id } } } userErrors { code } } }`,
      { memberId: m[1], groupIds: [group] },
    );
    expect(set.memberGroupsSet.member.groups.nodes).toEqual([{ id: group }]);
    await run(`mutation($input: MemberIdsInput!) { membersReinvite(input: $input) { userErrors { code } } }`, {
      memberIds: [m[1]],
    });
    await run(`mutation($input: MemberIdsInput!) { membersRemove(input: $input) { userErrors { code } } }`, {
      memberIds: [m[1]],
    });
    const deleted = await run(
      `mutation($input: GroupDeleteInput!) { groupDelete(input: $input) { deletedGroupId userErrors { code } } }`,
      { groupId: group },
    );
    expect(deleted.groupDelete).toEqual({ deletedGroupId: group, userErrors: [] });
    await run(
      `mutation($input: ScimSettingsUpdateInput!) { scimSettingsUpdate(input: $input) { scim { inviteUsersAfterProvisioning } } }`,
      { inviteUsersAfterProvisioning: false },
    );

    const trail = await ok(
      app,
      ownerToken,
      `query($id: ID!) { organization(id: $id) { name seats { limit } events(first: 100) { nodes { type actor { kind } } } } }`,
      { id: orgId },
    );
    expect(trail.organization).toMatchObject({ name: 'Renamed', seats: { limit: 50 } });
    const types = trail.organization.events.nodes.map((e: any) => e.type);
    for (const type of [
      'organization.updated',
      'member.updated',
      'group.created',
      'group.updated',
      'member.groups_set',
      'member.reinvited',
      'member.removed',
      'group.deleted',
      'scim.settings_updated',
    ]) {
      expect(types).toContain(type);
    }
    expect(types.filter((x: string) => x === 'group.updated')).toHaveLength(3); // rename, add, remove
    expect(new Set(trail.organization.events.nodes.map((e: any) => e.actor.kind))).toEqual(new Set(['USER', 'CLI']));
  });

  it('pages members both ways, filters and sorts them, and reads objects through node(id)', async () => {
    const { app, services } = t;
    const { orgId, ownerToken } = await makeOrganization(services);
    const emails = Array.from({ length: 5 }, (_, i) => `p${i}-${unique()}@example.test`);
    const ids = (
      await ok(app, ownerToken, INVITE, { input: { organizationId: orgId, emails } })
    ).membersInvite.results.map((r: any) => r.member.id);
    const PAGE = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      organization(id: $id) { members(first: $first, after: $after, last: $last, before: $before, filter: { statuses: [INVITED] }) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } } } }`;
    const p1 = (await ok(app, ownerToken, PAGE, { id: orgId, first: 2 })).organization.members;
    expect(p1).toMatchObject({
      totalCount: 5,
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
      nodes: ids.slice(0, 2).map((id: string) => ({ id })),
    });
    const p2 = (await ok(app, ownerToken, PAGE, { id: orgId, first: 3, after: p1.pageInfo.endCursor })).organization
      .members;
    expect(p2).toMatchObject({
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
      nodes: ids.slice(2).map((id: string) => ({ id })),
    });
    const back = (await ok(app, ownerToken, PAGE, { id: orgId, last: 2, before: p2.pageInfo.startCursor })).organization
      .members;
    expect(back.nodes).toEqual(ids.slice(0, 2).map((id: string) => ({ id })));

    const sorted = await ok(
      app,
      ownerToken,
      `query($id: ID!) { organization(id: $id) { members(orderBy: { field: EMAIL, direction: DESC }, filter: { query: "p" , roles: [USER] }) { nodes { email } } } }`,
      { id: orgId },
    );
    expect(sorted.organization.members.nodes.map((n: any) => n.email)).toEqual([...emails].sort().reverse());

    const group = (
      await ok(app, ownerToken, `mutation($input: GroupCreateInput!) { groupCreate(input: $input) { group { id } } }`, {
        input: { organizationId: orgId, displayName: 'All', memberIds: ids },
      })
    ).groupCreate.group.id;
    const G = `query($id: ID!, $after: String) { node(id: $id) { __typename id ... on Group { displayName members(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } } }`;
    const g1 = (await ok(app, ownerToken, G, { id: group })).node;
    expect(g1).toMatchObject({
      __typename: 'Group',
      displayName: 'All',
      members: { totalCount: 5, pageInfo: { hasNextPage: true }, nodes: ids.slice(0, 3).map((id: string) => ({ id })) },
    });
    const g2 = (await ok(app, ownerToken, G, { id: group, after: g1.members.pageInfo.endCursor })).node;
    expect(g2.members).toMatchObject({
      totalCount: 5,
      pageInfo: { hasNextPage: false },
      nodes: ids.slice(3).map((id: string) => ({ id })),
    });

    const nodes = await ok(
      app,
      ownerToken,
      `query($o: ID!, $m: ID!) { o: node(id: $o) { __typename id } m: node(id: $m) { __typename ... on Member { email status } } }`,
      { o: orgId, m: ids[0] },
    );
    expect(nodes).toEqual({
      o: { __typename: 'Organization', id: orgId },
      m: { __typename: 'Member', email: emails[0], status: MemberStatus.INVITED },
    });
  });

  it('lists the SCIM request log, filtered by status', async () => {
    const { app, services } = t;
    const { orgId, ownerToken } = await makeOrganization(services);
    for (const status of [201, 409, 200]) {
      await services.scimRequestLog.record({
        organizationId: orgId,
        method: 'POST',
        path: `/scim/v2/${orgId}/Users`,
        client: 'jumpcloud',
        status,
        durationMs: 5,
        summary: `status ${status}`,
        requestId: null,
      });
    }
    const log = await ok(
      app,
      ownerToken,
      `query($id: ID!) { organization(id: $id) { scim { all: requestLog { totalCount nodes { status } } conflicts: requestLog(filter: { status: 409 }) { nodes { method path client status summary } } ok: requestLog(filter: { statusClass: 2 }) { totalCount } } } }`,
      { id: orgId },
    );
    expect(log.organization.scim.all.totalCount).toBe(3);
    expect(log.organization.scim.conflicts.nodes).toEqual([
      { method: 'POST', path: `/scim/v2/${orgId}/Users`, client: 'jumpcloud', status: 409, summary: 'status 409' },
    ]);
    expect(log.organization.scim.ok.totalCount).toBe(2);
  });

  it('lets a signed-in user create an organization it owns', async () => {
    const { app, services } = t;
    const token = await tokenFor(services, `founder-${unique()}@example.test`);
    const created = await ok(
      app,
      token,
      `mutation { organizationCreate(input: { name: "Founders", seatLimit: 5 }) { organization { id name seats { used limit } viewerPermissions { manageOwners } } userErrors { code } } }`,
    );
    expect(created.organizationCreate.organization).toMatchObject({
      name: 'Founders',
      seats: { used: 1, limit: 5 },
      viewerPermissions: { manageOwners: true },
    });
    const mine = await ok(app, token, `{ viewer { organizations { totalCount nodes { id } } } }`);
    expect(mine.viewer.organizations).toEqual({
      totalCount: 1,
      nodes: [{ id: created.organizationCreate.organization.id }],
    });
  });
});
