import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { ok } from './gql';
import { makeOrganization } from '../helpers/factories';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const CREATE = `mutation($input: GroupCreateInput!) { groupCreate(input: $input) { group { id source externalId } userErrors { code } } }`;
const GROUPS = `query($id: ID!) { organization(id: $id) { groups(first: 10) { nodes { displayName source } } } }`;

describe(`Group.source says who created the group (${engineName()})`, () => {
  it('is SCIM for a group an identity provider pushed, MANUAL for one created over GraphQL, externalId or not', async () => {
    const org = await makeOrganization(t.services);
    const { apiKey } = await t.services.scimSettings.enable(cliActor(), org.orgId, {});
    const pushed = await request(t.app)
      .post(`/scim/v2/${org.orgId}/Groups`)
      .set('Authorization', `Bearer ${apiKey}`)
      .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Pushed', externalId: 'idp-1' });
    expect(pushed.status).toBe(201);

    const made = await ok(t.app, org.ownerToken, CREATE, {
      input: { organizationId: org.orgId, displayName: 'Made here', externalId: 'looks-like-an-idp-id' },
    });
    expect(made.groupCreate).toMatchObject({
      group: { source: 'MANUAL', externalId: 'looks-like-an-idp-id' },
      userErrors: [],
    });

    const seen = await ok(t.app, org.ownerToken, GROUPS, { id: org.orgId });
    const byName = Object.fromEntries(
      seen.organization.groups.nodes.map((g: { displayName: string; source: string }) => [g.displayName, g.source]),
    );
    expect(byName).toEqual({ Pushed: 'SCIM', 'Made here': 'MANUAL' });
  });
});
