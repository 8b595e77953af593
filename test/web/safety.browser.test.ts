/**
 * Changes that cannot be taken back quietly are asked first, in words that say what follows: giving or taking
 * admin or owner powers, and disabling SCIM (as rotating the key is). Dialogs focus Cancel; the frame offers
 * "Skip to content".
 */
import { type Page } from 'playwright-core';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type ScimOrg, scim, scimOrg } from '../helpers/scim';
import { ok } from '../graphql/gql';
import { type ConsoleEnv, expectAccessible, newContext, signInWithToken, startConsole } from './support/console';

let env: ConsoleEnv;
let o: ScimOrg;
let page: Page;
beforeAll(async () => {
  env = await startConsole();
  o = await scimOrg(env.t);
  page = await (await newContext(env)).newPage();
  await signInWithToken(page, o.ownerToken);
}, 240_000);
afterAll(() => env?.close());

const focusedName = () => page.evaluate('document.activeElement?.textContent?.trim()');

describe(`console: asked before it is done (${engineName()})`, () => {
  it('confirms making someone an admin, naming what they will be able to do; Cancel changes nothing', async () => {
    const email = `ada-${unique()}@example.test`;
    await ok(
      env.t.app,
      o.ownerToken,
      `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
      { input: { organizationId: o.orgId, emails: [email] } },
    );
    await page.goto(`/orgs/${o.orgId}/members`);
    const role = page.getByRole('combobox', { name: `Role of ${email}` });
    await role.selectOption('ADMIN');
    const dialog = page.getByRole('dialog', { name: `Make ${email} Admin?` });
    await dialog.getByText(`${email} will be able to manage members and groups`).waitFor();
    expect(await focusedName()).toBe('Cancel');
    await dialog.getByRole('button', { name: 'Close' }).waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await role.inputValue()).toBe('USER');

    await role.selectOption('ADMIN');
    await dialog.getByRole('button', { name: 'Make Admin' }).click();
    await page.getByText(`${email} is now Admin.`).waitFor();
    expect(await role.inputValue()).toBe('ADMIN');
    // Each row's buttons say whom they act on.
    await page.getByRole('button', { name: `Revoke access for ${email}`, exact: true }).waitFor();
  });

  it('revokes two selected members at once, after a dialog naming the count', async () => {
    const emails = [`bea-${unique()}@example.test`, `bob-${unique()}@example.test`];
    await ok(
      env.t.app,
      o.ownerToken,
      `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
      { input: { organizationId: o.orgId, emails } },
    );
    await page.goto(`/orgs/${o.orgId}/members`);
    for (const email of emails) await page.getByRole('checkbox', { name: `Select ${email}` }).check();
    const bar = page.getByRole('region', { name: 'Selected' });
    await bar.getByText('2 members selected').waitFor();
    await bar.getByRole('button', { name: 'Revoke access (2)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke access for 2 members?' });
    expect(await focusedName()).toBe('Cancel');
    await dialog.getByRole('button', { name: 'Revoke access' }).click();
    await page.getByText('Access revoked: 2 members.').waitFor();
    for (const email of emails)
      await page.getByRole('row').filter({ hasText: email }).getByText('Revoked', { exact: true }).waitFor();
  });

  it('disabling SCIM asks first, like rotating the key; Cancel keeps the key working', async () => {
    const agent = scim(env.t, o);
    await page.goto(`/orgs/${o.orgId}/settings/scim`);
    await page.getByRole('combobox', { name: 'Identity provider' }).click();
    await page.getByRole('option', { name: 'JumpCloud' }).click();
    await page.getByRole('checkbox', { name: 'Enable SCIM' }).uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable SCIM?' });
    await dialog
      .getByText('every request fails until you enable SCIM again and paste a new key into JumpCloud', { exact: false })
      .waitFor();
    expect(await focusedName()).toBe('Cancel');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await agent.get('/Users?count=1')).status).toBe(200);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByRole('button', { name: 'Disable SCIM' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await agent.get('/Users?count=1')).status).toBe(401);
  });

  it('the invite dialog keeps a refused address with its reason, and asks before discarding what was typed', async () => {
    const good = `gil-${unique()}@example.test`;
    const already = `amy-${unique()}@example.test`;
    await ok(
      env.t.app,
      o.ownerToken,
      `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
      { input: { organizationId: o.orgId, emails: [already] } },
    );
    await page.goto(`/orgs/${o.orgId}/members`);
    await page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite members' });
    await dialog.getByRole('textbox', { name: 'Email addresses' }).fill(`${good}\n${already}`);
    await dialog.getByRole('button', { name: 'Send invitations' }).click();
    await dialog.getByText(`Invited: ${good}`).waitFor();
    await dialog
      .getByRole('alert')
      .filter({ hasText: `${already}:` })
      .waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Email addresses' }).inputValue()).toBe(already);

    await page.keyboard.press('Escape');
    const prompt = dialog.getByRole('alertdialog', { name: 'Discard changes?' });
    await prompt.getByText('Discard the addresses you typed?').waitFor();
    expect(await focusedName()).toBe('Keep editing');
    await prompt.getByRole('button', { name: 'Keep editing' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Email addresses' }).inputValue()).toBe(already);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await prompt.getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: good }).waitFor();
  });

  it('offers "Skip to content" first in the tab order', async () => {
    await page.goto(`/orgs/${o.orgId}/groups`);
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
  });
});
