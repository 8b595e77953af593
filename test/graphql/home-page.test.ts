/**
 * What the home page reads about the viewer: its role in each organization, and its own memberships that give no
 * rights yet (accepted and waiting for an administrator, or invited), with nothing of the organization but its name.
 */
import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { makeOrganization, unique, userActor } from '../helpers/factories';
import { ok, tokenFor } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const HOME = `{ viewer { organizations(first: 20) { nodes { name viewerRole } }
  pendingMemberships { organizationName status } } }`;

describe(`the viewer's home page (${engineName()})`, () => {
  it("gives each organization the viewer's role, and lists memberships still waiting for confirmation", async () => {
    const northwind = await makeOrganization(t.services, `Northwind ${unique()}`);
    const contoso = await makeOrganization(t.services, `Contoso ${unique()}`);
    const email = `invitee-${unique()}@example.test`;
    const token = await tokenFor(t.services, email);
    const invite = (orgId: string, role: 'ADMIN' | 'USER') =>
      t.services.memberLifecycle.invite(cliActor(), orgId, { email, role: role as never });
    const atNorthwind = await invite(northwind.orgId, 'USER');
    await t.services.memberLifecycle.accept(await userActor(t.services, email), atNorthwind.invitationToken);

    expect((await ok(t.app, token, HOME)).viewer).toEqual({
      organizations: { nodes: [] },
      pendingMemberships: [{ organizationName: northwind.organization.name, status: 'ACCEPTED' }],
    });
    // the owner sees its role, and not the invitee's pending membership
    expect((await ok(t.app, northwind.ownerToken, HOME)).viewer).toEqual({
      organizations: { nodes: [{ name: northwind.organization.name, viewerRole: 'OWNER' }] },
      pendingMemberships: [],
    });

    // once confirmed, the organization is listed with the role, and nothing waits any more
    await t.services.memberLifecycle.confirm(cliActor(), northwind.orgId, atNorthwind.member.id);
    const atContoso = await invite(contoso.orgId, 'ADMIN');
    await t.services.memberLifecycle.accept(await userActor(t.services, email), atContoso.invitationToken);
    await t.services.memberLifecycle.confirm(cliActor(), contoso.orgId, atContoso.member.id);
    expect((await ok(t.app, token, HOME)).viewer).toEqual({
      organizations: {
        nodes: [
          { name: northwind.organization.name, viewerRole: 'USER' },
          { name: contoso.organization.name, viewerRole: 'ADMIN' },
        ],
      },
      pendingMemberships: [],
    });
  });
});
