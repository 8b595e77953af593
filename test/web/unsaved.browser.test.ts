/**
 * Unsaved input is not lost by accident, whichever form holds it: closing a form's dialog (its button, Escape)
 * asks first, leaving the page by the navigation asks first, a reload gets the browser's warning; a form that
 * saved navigates without asking.
 */
import { type Page } from 'playwright-core';
import { cliActor } from '../../src/domain/actor';
import { engineName } from '../helpers/db';
import { makeOrganization, unique } from '../helpers/factories';
import { ok } from '../graphql/gql';
import { type ConsoleEnv, newContext, signInWithToken, startConsole } from './support/console';

let env: ConsoleEnv;
let org: { orgId: string; ownerToken: string };
let page: Page;

beforeAll(async () => {
  env = await startConsole();
  org = await makeOrganization(env.t.services, `Unsaved ${unique()}`);
  page = await (await newContext(env)).newPage();
  await signInWithToken(page, org.ownerToken);
}, 240_000);
afterAll(() => env?.close());

const groupNames = async () =>
  (
    await ok(
      env.t.app,
      org.ownerToken,
      `query($id: ID!) { organization(id: $id) { groups { nodes { displayName } } } }`,
      {
        id: org.orgId,
      },
    )
  ).organization.groups.nodes.map((g: { displayName: string }) => g.displayName);

describe(`console: unsaved changes (${engineName()})`, () => {
  it('the rename dialog asks before Escape or its close button discards a typed name', async () => {
    await env.t.services.groups.create(cliActor(), org.orgId, { displayName: 'Design' });
    await page.goto(`/orgs/${org.orgId}/groups`);
    await page.getByRole('button', { name: 'Rename Design' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename group' });
    await dialog.getByRole('textbox', { name: 'Group name' }).fill('Product design');

    await page.keyboard.press('Escape');
    const prompt = dialog.getByRole('alertdialog', { name: 'Discard changes?' });
    await prompt.getByText('Discard the new name? Nothing has been saved.').waitFor();
    await prompt.getByRole('button', { name: 'Keep editing' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Group name' }).inputValue()).toBe('Product design');

    await dialog.getByRole('button', { name: 'Close' }).click();
    await prompt.getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await groupNames()).toEqual(['Design']);

    // Nothing typed: the dialog closes without asking.
    await page.getByRole('button', { name: 'Rename Design' }).click();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('leaving the webhooks page with an endpoint half typed asks first; keeping it keeps the page', async () => {
    await page.goto(`/orgs/${org.orgId}/settings/webhooks`);
    const form = page.getByRole('form', { name: 'Add endpoint' });
    await form.getByLabel('Endpoint URL').fill('https://example.com/hooks');
    await page.getByRole('link', { name: 'Members' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave this page?' });
    await leave.getByText('Discard the endpoint you were adding? Nothing has been saved.').waitFor();
    await leave.getByRole('button', { name: 'Keep editing' }).click();
    await leave.waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe(`/orgs/${org.orgId}/settings/webhooks`);
    expect(await form.getByLabel('Endpoint URL').inputValue()).toBe('https://example.com/hooks');

    // Asked again, Discard goes where the link pointed.
    await page.getByRole('link', { name: 'Groups' }).click();
    await leave.getByRole('button', { name: 'Discard' }).click();
    await page.waitForURL(`**/orgs/${org.orgId}/groups`);
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
  });

  it('a group name typed but not created: the navigation asks, and a reload gets the browser warning', async () => {
    await page.goto(`/orgs/${org.orgId}/groups`);
    const form = page.getByRole('form', { name: 'Create a group' });
    await form.getByRole('textbox', { name: 'Group name' }).fill('Research');
    await page.getByRole('link', { name: 'Event log' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave this page?' });
    await leave.getByText('Discard the group name you typed? Nothing has been saved.').waitFor();
    await leave.getByRole('button', { name: 'Keep editing' }).click();

    const warning = page.waitForEvent('dialog');
    void page.evaluate('location.reload()').catch(() => undefined);
    const shown = await warning;
    expect(shown.type()).toBe('beforeunload');
    await shown.dismiss(); // stay on the page
    expect(await form.getByRole('textbox', { name: 'Group name' }).inputValue()).toBe('Research');

    // Created: nothing is unsaved any more, the navigation goes without asking.
    await form.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'Research' }).waitFor();
    await page.getByRole('link', { name: 'Event log' }).click();
    await page.waitForURL(`**/orgs/${org.orgId}/events`);
    expect(await page.getByRole('dialog', { name: 'Leave this page?' }).count()).toBe(0);
  });

  it('an organization created from the home page opens without asking', async () => {
    await page.goto('/');
    const form = page.getByRole('form', { name: 'Create an organization' });
    const name = `Fresh ${unique()}`;
    await form.getByRole('textbox', { name: 'Organization name' }).fill(name);
    await form.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(/\/orgs\/[0-9a-f-]+\/members$/);
    expect(await page.getByRole('dialog', { name: 'Leave this page?' }).count()).toBe(0);
  });
});
