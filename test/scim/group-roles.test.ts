import { cliActor } from '../../src/domain/actor';
import { MemberRole, RoleSource } from '../../src/domain/enums';
import { eventDrafts } from '../../src/services/webhooks/event-drafts';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { GROUP_SCHEMA, PATCH_SCHEMA, type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';

/**
 * Roles from groups as an identity provider drives them: every SCIM group write that changes a mapped group's
 * membership moves its members' roles in the same request, and what it audits is announced as `member.updated`.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const user = async (o: ScimOrg): Promise<string> => (await scim(t, o).post('/Users', newUser())).body.id as string;
const role = async (o: ScimOrg, id: string) => (await t.services.memberProfiles.get(cliActor(), o.orgId, id)).role;

async function mappedGroup(o: ScimOrg, mapped: MemberRole, members: string[] = []) {
  const res = await scim(t, o).post('/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName: `G ${unique()}`,
    members: members.map((value) => ({ value })),
  });
  expect(res.status).toBe(201);
  await t.services.groupRoles.setMapping(cliActor(), o.orgId, res.body.id, { role: mapped });
  return res.body as { id: string; displayName: string };
}

describe(`SCIM group writes move mapped roles (${engineName()})`, () => {
  it('provisions members whose role follows their groups, at the default role', async () => {
    const o = await scimOrg(t);
    const member = await t.services.memberProfiles.get(cliActor(), o.orgId, await user(o));
    expect([member.role, member.roleSource, member.roleGrantedById]).toEqual([
      MemberRole.USER,
      RoleSource.GROUPS,
      null,
    ]);
  });

  it('a PUT replacing the members promotes the new ones and demotes the ones left out', async () => {
    const o = await scimOrg(t);
    const [a, b] = [await user(o), await user(o)];
    const group = await mappedGroup(o, MemberRole.ADMIN, [a]);
    expect(await role(o, a)).toBe(MemberRole.ADMIN);
    const put = await scim(t, o).put(`/Groups/${group.id}`, {
      schemas: [GROUP_SCHEMA],
      displayName: group.displayName,
      members: [{ value: b }],
    });
    expect(put.status).toBe(200);
    expect([await role(o, a), await role(o, b)]).toEqual([MemberRole.USER, MemberRole.ADMIN]);
  });

  it('a PATCH that fails changes no role (one transaction)', async () => {
    const o = await scimOrg(t);
    const a = await user(o);
    const group = await mappedGroup(o, MemberRole.ADMIN);
    const res = await scim(t, o).patch(`/Groups/${group.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: a }] },
        { op: 'replace', path: 'displayName', value: '' },
      ],
    });
    expect(res.status).toBe(400);
    expect(await role(o, a)).toBe(MemberRole.USER);
  });

  it('audits the role change as the SCIM key, which webhooks announce as member.updated', async () => {
    const o = await scimOrg(t);
    const a = await user(o);
    const group = await mappedGroup(o, MemberRole.CUSTOM);
    const patch = await scim(t, o).patch(`/Groups/${group.id}`, {
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: 'add', path: 'members', value: [{ value: a }] }],
    });
    expect(patch.status).toBeLessThan(300);
    const events = await t.services.audit.list(
      cliActor(),
      o.orgId,
      { memberId: a, types: ['member.updated'] },
      { first: 5 },
    );
    expect(events.items).toHaveLength(1);
    const event = events.items[0];
    expect(event).toMatchObject({ actorKind: 'SCIM', targetId: a });
    expect(event.data).toMatchObject({
      roleFrom: 'USER',
      roleTo: 'CUSTOM',
      groupId: group.id,
      groupName: group.displayName,
    });
    const drafts = eventDrafts({
      audited: [{ actor: cliActor(), event: { ...event, organizationId: o.orgId } as never }],
      groupMembers: new Map(),
    });
    expect(drafts.map((d) => d.type)).toEqual(['member.updated']);
  });
});
