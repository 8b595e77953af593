/**
 * The members list's free text also finds a member by externalId and by the name of a group the member is in;
 * a group of the same name in another organization matches nothing here.
 */
import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, unique } from '../helpers/factories';
import { newUser, scim, scimOrg } from '../helpers/scim';
import { ok } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const MEMBERS = `query($id: ID!, $q: String!) { organization(id: $id) { members(first: 10, filter: { query: $q }) {
  totalCount nodes { id } } } }`;

describe(`members search (${engineName()})`, () => {
  it('finds a member by externalId and by group name, within the organization only', async () => {
    const a = await scimOrg(t);
    const b = await scimOrg(t);
    const externalId = `EXT-${unique()}`;
    const pushed = await scim(t, a).post('/Users', newUser(undefined, { externalId }));
    expect(pushed.status).toBe(201);
    const memberA: string = pushed.body.id;
    await confirmedMember(t.services, a.orgId); // a member none of the searches below should find

    const shared = `Night Shift ${unique()}`;
    const onlyInB = `Harbour ${unique()}`;
    const groupA = await t.services.groups.create(cliActor(), a.orgId, { displayName: shared });
    await t.services.groups.setGroupsOfMember(cliActor(), a.orgId, memberA, [groupA.id]);
    const memberB = await confirmedMember(t.services, b.orgId);
    const groupB = await t.services.groups.create(cliActor(), b.orgId, { displayName: shared });
    const harbour = await t.services.groups.create(cliActor(), b.orgId, { displayName: onlyInB });
    await t.services.groups.setGroupsOfMember(cliActor(), b.orgId, memberB.member.id, [groupB.id, harbour.id]);

    const search = async (org: typeof a, q: string) =>
      (await ok(t.app, org.ownerToken, MEMBERS, { id: org.orgId, q })).organization.members;

    expect(await search(a, externalId.toLowerCase())).toEqual({ totalCount: 1, nodes: [{ id: memberA }] });
    expect(await search(a, shared.toUpperCase())).toEqual({ totalCount: 1, nodes: [{ id: memberA }] });
    expect(await search(b, shared)).toEqual({ totalCount: 1, nodes: [{ id: memberB.member.id }] });
    // another organization's group never matches here, nor does a LIKE wildcard match everything
    expect(await search(a, onlyInB)).toEqual({ totalCount: 0, nodes: [] });
    expect((await search(a, '%')).totalCount).toBe(0);
  });
});
