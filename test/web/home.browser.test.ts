/**
 * The home page in Chromium: the owner sees its role beside each organization; an invitee who accepted but is not
 * yet confirmed sees that it waits for an administrator, not an empty list and a form to create an organization.
 */
import { cliActor } from '../../src/domain/actor';
import { engineName } from '../helpers/db';
import { makeOrganization, unique, userActor } from '../helpers/factories';
import { tokenFor } from '../graphql/gql';
import { type ConsoleEnv, expectAccessible, newContext, signInWithToken, startConsole } from './support/console';

let env: ConsoleEnv;
beforeAll(async () => {
  env = await startConsole();
}, 240_000);
afterAll(() => env?.close());

describe(`console: the home page (${engineName()})`, () => {
  it("shows the owner's role, and tells an accepted invitee it waits for confirmation", async () => {
    const orgName = `Northwind ${unique()}`;
    const northwind = await makeOrganization(env.t.services, orgName);
    const email = `invitee-${unique()}@example.test`;
    const inviteeToken = await tokenFor(env.t.services, email);
    const { invitationToken } = await env.t.services.memberLifecycle.invite(cliActor(), northwind.orgId, { email });
    await env.t.services.memberLifecycle.accept(await userActor(env.t.services, email), invitationToken);

    const context = await newContext(env);
    const page = await context.newPage();
    await signInWithToken(page, northwind.ownerToken);
    const table = page.getByRole('table', { name: 'Organizations' });
    await table.getByRole('columnheader', { name: 'Your role' }).waitFor();
    await table.getByRole('row', { name: new RegExp(`${orgName}.*Owner`) }).waitFor();
    expect(await page.getByRole('region', { name: 'Waiting for confirmation' }).count()).toBe(0);
    await context.close();

    const inviteeContext = await newContext(env);
    const invitee = await inviteeContext.newPage();
    await signInWithToken(invitee, inviteeToken);
    const waiting = invitee.getByRole('region', { name: 'Waiting for confirmation' });
    await waiting.getByText(`${orgName} — waiting for an administrator to confirm you`).waitFor();
    expect(await invitee.getByRole('table', { name: 'Organizations' }).count()).toBe(0);
    expect(await invitee.getByRole('form', { name: 'Create an organization' }).count()).toBe(0);
    await expectAccessible(invitee);
    // creating an organization stays possible, one click away
    await invitee.getByRole('button', { name: 'Create an organization instead' }).click();
    await invitee.getByRole('form', { name: 'Create an organization' }).waitFor();
    await inviteeContext.close();
  });
});
