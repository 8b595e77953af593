/**
 * The admin pages in Chromium: revoke and restore from Members, key rotation (the old key refused by SCIM at
 * once), the provisioning log showing a failed request, the event log, and every page passing axe-core.
 */
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type ScimOrg, scimOrg } from '../helpers/scim';
import { ok } from '../graphql/gql';
import {
  type ConsoleEnv,
  expectAccessible,
  jumpCloudUser,
  newContext,
  scimClient,
  screenshots,
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

const scimUrl = () => `${env.baseUrl}/scim/v2/${o.orgId}`;

describe(`console: members, SCIM key and provisioning log in a browser (${engineName()})`, () => {
  it('revokes and restores access from the Members page, and the event log shows both', async () => {
    const email = `bob-${unique()}@example.test`;
    await ok(
      env.t.app,
      o.ownerToken,
      `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
      {
        input: { organizationId: o.orgId, emails: [email] },
      },
    );
    await page.goto(`/orgs/${o.orgId}/members`);
    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByText('Invited', { exact: true }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'members');

    await row.getByRole('button', { name: 'Revoke access' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke access' });
    await dialog.getByText(`${email} loses access to the organization at once.`).waitFor();
    await dialog.getByRole('button', { name: 'Revoke access' }).click();
    await row.getByText('Revoked', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Restore access' }).click();
    await row.getByText('Invited', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Revoke access' }).waitFor();

    // Filters narrow the list on the server: a status with no such member shows none.
    await page.getByRole('textbox', { name: 'Search members' }).fill(email.slice(0, 10));
    await page.getByText('1–1 of 1 members').waitFor();
    await page.getByRole('textbox', { name: 'Search members' }).fill('');

    // The owner's own membership: the console shows why it cannot be revoked instead of hiding the button.
    const ownRow = page.getByRole('row').filter({ hasText: 'owner-' });
    const ownRevoke = ownRow.getByRole('button', { name: 'Revoke access' });
    expect(await ownRevoke.getAttribute('aria-disabled')).toBe('true');
    expect(await ownRevoke.getAttribute('title')).toMatch(/may not/);

    await page.getByRole('link', { name: 'Event log' }).click();
    await page.getByRole('heading', { name: 'Event log', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'member.revoked' }).waitFor();
    await page.getByRole('cell', { name: 'member.restored' }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'event-log');
  });

  it('rotates the SCIM key after a confirmation; the old key is refused at once and the new one shown once', async () => {
    const oldKey = o.apiKey;
    expect((await scimClient(scimUrl(), oldKey).get('/Users')).status).toBe(200);
    await page.goto(`/orgs/${o.orgId}/settings/scim`);
    const keyField = page.getByLabel('SCIM API key', { exact: true });
    expect(await keyField.inputValue()).toMatch(new RegExp(`^•+[^•]{0,8}${oldKey.slice(-4)}$`));

    await page.getByRole('button', { name: 'Rotate key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the SCIM API key?' });
    await dialog.getByRole('radio', { name: 'It stops working now' }).check();
    await dialog.getByText('The current key stops working at once').waitFor();
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByText('Shown this once: copy it into your identity provider now.').waitFor();
    const newKey = await keyField.inputValue();
    expect(newKey).not.toBe(oldKey);
    expect(newKey).not.toContain('•');

    expect((await scimClient(scimUrl(), oldKey).get('/Users')).status).toBe(401);
    expect((await scimClient(scimUrl(), newKey).get('/Users')).status).toBe(200);
    o.apiKey = newKey;

    // Shown once: after a reload only the hint remains.
    await page.reload();
    expect(await keyField.inputValue()).toMatch(new RegExp(`^•+[^•]{0,8}${newKey.slice(-4)}$`));
  });

  it('rotates the key keeping the old one for an hour, then ends the old key with End now', async () => {
    const oldKey = o.apiKey;
    await page.goto(`/orgs/${o.orgId}/settings/scim`);
    await page.getByRole('button', { name: 'Rotate key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the SCIM API key?' });
    const confirm = dialog.getByRole('button', { name: 'Rotate key' });
    expect(await confirm.isDisabled()).toBe(true); // the administrator chooses; nothing is chosen for them
    await dialog.getByRole('radio', { name: 'It keeps working for an hour' }).check();
    await dialog.getByText('The current key keeps working for an hour beside the new one').waitFor();
    await expectAccessible(page);
    await confirm.click();
    await page.getByText('Shown this once: copy it into your identity provider now.').waitFor();
    const newKey = await page.getByLabel('SCIM API key', { exact: true }).inputValue();
    const notice = page.getByRole('status').filter({ hasText: 'Previous key' });
    // The time alone today; with its date when the hour ends tomorrow (a rotation in the day's last hour).
    const until = '(?:[A-Z][a-z]{2} \\d{1,2}, \\d{4}, )?\\d{2}:\\d{2}';
    await notice.getByText(new RegExp(`^Previous key …\\S*${oldKey.slice(-4)} works until ${until}`)).waitFor();
    for (const key of [oldKey, newKey]) expect((await scimClient(scimUrl(), key).get('/Users')).status).toBe(200);
    // The provisioning log tells which key the identity provider used: until it switches, the previous one.
    await page.reload();
    const activity = page.getByRole('table', { name: 'SCIM requests' });
    await activity
      .getByRole('cell', { name: `${oldKey.slice(-6)} (previous)` })
      .first()
      .waitFor();
    await activity
      .getByRole('cell', { name: newKey.slice(-6), exact: false })
      .first()
      .waitFor();
    await expectAccessible(page);
    await screenshots(page, 'scim-key-overlap');

    await notice.getByRole('button', { name: 'End now' }).click();
    await notice.waitFor({ state: 'detached' });
    expect((await scimClient(scimUrl(), oldKey).get('/Users')).status).toBe(401);
    expect((await scimClient(scimUrl(), newKey).get('/Users')).status).toBe(200);
    o.apiKey = newKey;
  });

  it('shows a failed provisioning request in the activity log, alone with "Failures only", and counts it', async () => {
    const jc = scimClient(scimUrl(), o.apiKey);
    const email = `carol-${unique()}@example.test`;
    expect((await jc.post('/Users', jumpCloudUser(email, 'Carol', 'Example'))).status).toBe(201);
    expect((await jc.post('/Users', jumpCloudUser(email, 'Carol', 'Again'))).status).toBe(409);

    await page.goto(`/orgs/${o.orgId}/settings/scim`);
    const activity = page.getByRole('table', { name: 'SCIM requests' });
    const failed = activity.getByRole('row').filter({ hasText: '409' });
    await failed.getByText('Create user').waitFor();
    // Each request names whom it was about, linked to the member, and the client that sent it (its User-Agent's:
    // this organization names no provider).
    await page.getByRole('textbox', { name: 'Search by person' }).fill(email);
    const created = activity.getByRole('row').filter({ hasText: '201' });
    await created.getByRole('link', { name: email }).waitFor();
    await created.getByRole('cell', { name: 'JumpCloud', exact: true }).waitFor();
    await page.getByRole('textbox', { name: 'Search by person' }).fill('');
    // Every failure of the hour counts, apart from requests refused for their key (the old key's 401 of the
    // rotation test), which are counted on their own: compare with the log itself.
    const failedCount = async (filter: string) =>
      (
        await ok(
          env.t.app,
          o.ownerToken,
          `query($id: ID!) { organization(id: $id) { scim { requestLog(filter: ${filter}) { totalCount } } } }`,
          { id: o.orgId },
        )
      ).organization.scim.requestLog.totalCount as number;
    const failures = await failedCount('{ failed: true }');
    const byClient = await failedCount('{ failed: true, rejectedKey: false }');
    expect(byClient).toBeGreaterThanOrEqual(1);
    const stats = (
      await ok(
        env.t.app,
        o.ownerToken,
        `query($id: ID!) { organization(id: $id) { scim { requestStats { failuresLastHour clients { name } } } } }`,
        { id: o.orgId },
      )
    ).organization.scim.requestStats as { failuresLastHour: number; clients: { name: string }[] };
    expect(stats.failuresLastHour).toBe(byClient);
    await page
      .getByText(
        new RegExp(
          `^Last successful request from ${stats.clients[0].name} (just now|.+ ago) · ${byClient} failures? in the last hour( \\(and \\d+ rejected keys?\\))?$`,
        ),
      )
      .waitFor();

    await page.getByRole('checkbox', { name: 'Failures only' }).check();
    await page.getByText(`1–${failures} of ${failures} failed requests`).waitFor();
    expect(await activity.getByRole('row').filter({ hasText: '201' }).count()).toBe(0);
    await expectAccessible(page);
    await page.getByRole('checkbox', { name: 'Failures only' }).uncheck();
    await activity.getByRole('row').filter({ hasText: '201' }).first().waitFor();
    await screenshots(page, 'scim-provisioning');

    // A request arriving while the page is open shows up without a reload.
    expect((await jc.get(`/Users/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)).status).toBe(404);
    await activity.getByRole('row').filter({ hasText: '404' }).waitFor({ timeout: 20_000 });
  });

  it('passes axe-core on the organizations, groups and account pages', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await page.getByRole('link', { name: /^Scim / }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'organizations');

    await page.goto(`/orgs/${o.orgId}/groups`);
    await page.getByLabel('Group name').fill('Design');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'Design' }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'groups');
    await page.getByRole('link', { name: 'Design' }).click();
    await page.getByRole('heading', { name: 'Design', level: 1 }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'group');

    await page.goto('/account');
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await page.getByLabel('Token name').fill('deploy script');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByRole('textbox', { name: 'New access token' }).inputValue();
    expect(token.length).toBeGreaterThan(20);
    // Made in this browser session (opened with the owner's orgctl token): it says so, and ends with the session.
    await page.getByText(/It expires .* when this session ends/).waitFor();
    const tokens = page.getByRole('table', { name: 'Access tokens' });
    await tokens
      .getByRole('row')
      .filter({ hasText: 'deploy script' })
      .getByText(/^Session \(/)
      .waitFor();
    await tokens.getByRole('row').filter({ hasText: 'owner token for' }).getByText('orgctl', { exact: true }).waitFor();
    await page
      .getByRole('table', { name: 'Sessions' })
      .getByRole('row')
      .filter({ hasText: '(this browser)' })
      .getByText(/^Access token owner token for .* \(…/)
      .waitFor();
    await expectAccessible(page);
    await screenshots(page, 'account');
  });
});
