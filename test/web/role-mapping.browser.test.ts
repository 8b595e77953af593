/**
 * Group role mappings in the console: the owner picks a "Role for members" on a group the identity provider pushed,
 * and the Members page shows the member's new role with the group it comes from.
 */
import { engineName } from '../helpers/db';
import { cliActor } from '../../src/domain/actor';
import { confirmedMember, unique } from '../helpers/factories';
import { type ScimOrg, scimOrg } from '../helpers/scim';
import {
  type ConsoleEnv,
  expectAccessible,
  jumpCloudUser,
  newContext,
  scimClient,
  signInWithToken,
  startConsole,
} from './support/console';
import { type Page } from 'playwright-core';

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

describe(`console: roles from groups (${engineName()})`, () => {
  it('sets a role mapping on the group page; the Members page shows the role with its group, and takes it over by hand', async () => {
    const client = scimClient(`${env.baseUrl}/scim/v2/${o.orgId}`, o.apiKey);
    const email = `grace-${unique()}@example.test`;
    const user = await client.post('/Users', jumpCloudUser(email, 'Grace', 'Hopper'));
    expect(user.status).toBe(201);
    const groupName = `Org Admins ${unique()}`;
    const group = await client.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: groupName,
      members: [{ value: user.body.id }],
    });
    expect(group.status).toBe(201);

    await page.goto(`/orgs/${o.orgId}/groups/${group.body.id}`);
    await page.getByRole('heading', { name: groupName, level: 1 }).waitFor();
    const select = page.getByLabel('Role for members');
    expect(await select.inputValue()).toBe('');
    const admin = await select.locator('option', { hasText: 'Admin' }).textContent();
    expect(admin).toBe('Admin');
    await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/graphql') && !!r.request().postData()?.includes('groupRoleMappingSet'),
      ),
      select.selectOption('ADMIN'),
    ]);
    // The select shows the group's mapping as the server has it once the page has read the group again.
    await select.locator('option[value="ADMIN"]:checked').waitFor({ state: 'attached' });
    await expectAccessible(page);

    await page.goto(`/orgs/${o.orgId}/members`);
    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByText('Admin', { exact: true }).waitFor();
    await row.getByText(`from ${groupName}`, { exact: true }).waitFor();
    await expectAccessible(page);

    // Taken over by hand, the member keeps the role and gets the role select back.
    await row.getByRole('button', { name: 'Set role by hand' }).click();
    const roleSelect = row.getByRole('combobox', { name: `Role of ${email}` });
    await roleSelect.waitFor();
    expect(await roleSelect.inputValue()).toBe('ADMIN');
    expect(await row.getByText(`from ${groupName}`).count()).toBe(0);
    await row.getByRole('button', { name: 'Take role from groups' }).waitFor();
  });

  it('sets a custom role mapping with its permission checklist; the Members page shows the flag it gives', async () => {
    const client = scimClient(`${env.baseUrl}/scim/v2/${o.orgId}`, o.apiKey);
    const email = `katherine-${unique()}@example.test`;
    const user = await client.post('/Users', jumpCloudUser(email, 'Katherine', 'Johnson'));
    expect(user.status).toBe(201);
    const groupName = `Group Keepers ${unique()}`;
    const group = await client.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: groupName,
      members: [{ value: user.body.id }],
    });
    expect(group.status).toBe(201);

    await page.goto(`/orgs/${o.orgId}/groups/${group.body.id}`);
    await page.getByRole('heading', { name: groupName, level: 1 }).waitFor();
    const select = page.getByLabel('Role for members');
    await select.selectOption('CUSTOM');
    // Picking Custom only opens the checklist: nothing is saved before its flags are chosen.
    const manageGroups = page.getByRole('checkbox', { name: 'Manage groups' });
    await manageGroups.check();
    const [sent] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/graphql') && !!r.request().postData()?.includes('groupRoleMappingSet'),
      ),
      page.getByRole('button', { name: 'Save custom role' }).click(),
    ]);
    expect(sent.request().postDataJSON().variables.input).toMatchObject({
      role: 'CUSTOM',
      permissions: { manageGroups: true, manageUsers: false, manageScimKeys: false },
    });
    // Read back from the server: the mapping is CUSTOM with the one flag.
    await page.getByRole('button', { name: 'Save custom role', disabled: true }).waitFor();
    expect(await select.inputValue()).toBe('CUSTOM');
    expect(await manageGroups.isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Manage members' }).isChecked()).toBe(false);
    await expectAccessible(page);

    await page.goto(`/orgs/${o.orgId}/members`);
    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByText('Custom', { exact: true }).waitFor();
    await row.getByText('Manage groups', { exact: true }).waitFor();
    await row.getByText(`from ${groupName}`, { exact: true }).waitFor();
  });

  it("an administrator's checklist disables the owner-only flag, with the reason", async () => {
    const admin = await confirmedMember(env.t.services, o.orgId, 'ADMIN' as never);
    const { token } = await env.t.services.tokens.create(cliActor(), { email: admin.email });
    const client = scimClient(`${env.baseUrl}/scim/v2/${o.orgId}`, o.apiKey);
    const groupName = `Key Holders ${unique()}`;
    const group = await client.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: groupName,
    });
    expect(group.status).toBe(201);
    const adminPage = await (await newContext(env)).newPage();
    await signInWithToken(adminPage, token);
    await adminPage.goto(`/orgs/${o.orgId}/groups/${group.body.id}`);
    await adminPage.getByRole('heading', { name: groupName, level: 1 }).waitFor();
    await adminPage.getByLabel('Role for members').selectOption('CUSTOM');
    expect(await adminPage.getByRole('checkbox', { name: 'Manage SCIM keys (only owners give it)' }).isDisabled()).toBe(
      true,
    );
    expect(await adminPage.getByRole('checkbox', { name: 'Manage groups' }).isEnabled()).toBe(true);
    await adminPage.context().close();
  });
});
