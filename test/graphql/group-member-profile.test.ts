import { cliActor } from '../../src/domain/actor';
import { MemberRole } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember } from '../helpers/factories';
import { type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';
import { ok, tokenFor } from './gql';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let t: TestApp;
let org: ScimOrg;
let groupId: string;
let provisionedId: string;
let managerId: string;
const tokens: Record<'groupsOnly' | 'usersToo', string> = { groupsOnly: '', usersToo: '' };

beforeAll(async () => {
  t = await createTestApp();
  org = await scimOrg(t);
  const user = await scim(t, org).post(
    '/Users',
    newUser(undefined, {
      schemas: [newUser().schemas[0], ENTERPRISE],
      externalId: 'idp-4711',
      title: 'Chief Scientist',
      displayName: 'Ada L.',
      phoneNumbers: [{ value: '+1 201 555 0123', type: 'work', primary: true }],
      [ENTERPRISE]: { employeeNumber: 'E-1', department: 'Research', costCenter: 'CC-9' },
    }),
  );
  expect(user.status).toBe(201);
  provisionedId = user.body.id;
  const groupsOnly = await confirmedMember(t.services, org.orgId, MemberRole.CUSTOM as never);
  await t.services.memberProfiles.update(cliActor(), org.orgId, groupsOnly.member.id, {
    permissions: { manageGroups: true },
  });
  managerId = groupsOnly.member.id;
  const usersToo = await confirmedMember(t.services, org.orgId, MemberRole.CUSTOM as never);
  await t.services.memberProfiles.update(cliActor(), org.orgId, usersToo.member.id, {
    permissions: { manageGroups: true, manageUsers: true },
  });
  groupId = (
    await t.services.groups.create(cliActor(), org.orgId, {
      displayName: 'Research',
      memberIds: [provisionedId, managerId],
    })
  ).id;
  tokens.groupsOnly = await tokenFor(t.services, groupsOnly.email);
  tokens.usersToo = await tokenFor(t.services, usersToo.email);
});
afterAll(() => t.close());

const MEMBER_FIELDS = `id email displayName status name { givenName familyName }
  userName externalId title phoneNumbers { value } enterprise { employeeNumber department } revocationReason`;
const GROUP_MEMBERS = `query($id: ID!, $first: Int, $after: String) {
  node(id: $id) { ... on Group { members(first: $first, after: $after) {
    pageInfo { endCursor } nodes { ${MEMBER_FIELDS} } } } } }`;

async function groupMembers(token: string, first = 10, after?: string) {
  const data = await ok(t.app, token, GROUP_MEMBERS, { id: groupId, first, after });
  return data.node.members as { pageInfo: { endCursor: string }; nodes: Record<string, any>[] };
}

describe(`Group.members for a CUSTOM member without manageUsers (${engineName()})`, () => {
  it('shows who the members are, and null for their profile and enterprise attributes', async () => {
    const { nodes } = await groupMembers(tokens.groupsOnly);
    const provisioned = nodes.find((n) => n.id === provisionedId)!;
    expect(provisioned).toEqual({
      id: provisionedId,
      email: expect.stringMatching(/@example\.test$/),
      displayName: 'Ada L.',
      status: 'INVITED',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      userName: null,
      externalId: null,
      title: null,
      phoneNumbers: null,
      enterprise: null,
      revocationReason: null,
    });
    // Its own membership, met in the group, in full.
    expect(nodes.find((n) => n.id === managerId)!.userName).toMatch(/@example\.test$/);
  });

  it('also on later pages of the group', async () => {
    const first = await groupMembers(tokens.groupsOnly, 1);
    const second = await groupMembers(tokens.groupsOnly, 1, first.pageInfo.endCursor);
    const provisioned = [...first.nodes, ...second.nodes].find((n) => n.id === provisionedId)!;
    expect(provisioned.email).toBeTruthy();
    expect([provisioned.title, provisioned.externalId, provisioned.enterprise]).toEqual([null, null, null]);
  });

  it('with manageUsers, the whole profile', async () => {
    const { nodes } = await groupMembers(tokens.usersToo);
    expect(nodes.find((n) => n.id === provisionedId)).toMatchObject({
      externalId: 'idp-4711',
      title: 'Chief Scientist',
      phoneNumbers: [{ value: '+1 201 555 0123' }],
      enterprise: { employeeNumber: 'E-1', department: 'Research' },
      userName: expect.stringMatching(/@example\.test$/),
    });
  });
});
