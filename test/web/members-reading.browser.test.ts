/**
 * Reading the Members page: filters, search, sort and page live in the address (reload and Back keep them), the
 * status counts are chips that filter, the viewer's own row is marked, and on a 390 px phone rows are cards with
 * one actions menu, the filters fold into a "Filters (N)" sheet, and no page scrolls sideways.
 */
import { type Page } from 'playwright-core';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type ScimOrg, scim, scimOrg, newUser } from '../helpers/scim';
import { ok } from '../graphql/gql';
import {
  type ConsoleEnv,
  DESKTOP,
  MOBILE,
  expectAccessible,
  newContext,
  signInWithToken,
  startConsole,
  untilCount,
} from './support/console';

let env: ConsoleEnv;
let o: ScimOrg;
const invited = [`ivy-${unique()}@example.test`, `iris-${unique()}@example.test`];
const provisioned = `sam-${unique()}@example.test`;
beforeAll(async () => {
  env = await startConsole();
  o = await scimOrg(env.t);
  await ok(
    env.t.app,
    o.ownerToken,
    `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
    { input: { organizationId: o.orgId, emails: invited } },
  );
  expect((await scim(env.t, o).post('/Users', newUser(provisioned))).status).toBe(201);
}, 240_000);
afterAll(() => env?.close());

async function signedIn(viewport?: { width: number; height: number }): Promise<Page> {
  const page = await (await newContext(env, viewport)).newPage();
  await signInWithToken(page, o.ownerToken);
  return page;
}

/** Every page of the signed-in console. */
const pages = () => [
  '/',
  `/orgs/${o.orgId}/members`,
  `/orgs/${o.orgId}/groups`,
  `/orgs/${o.orgId}/settings/scim`,
  `/orgs/${o.orgId}/settings/webhooks`,
  `/orgs/${o.orgId}/events`,
  '/account',
];

const rowsShown = (page: Page) => page.getByRole('table', { name: 'Members' }).getByRole('row');

describe(`console: reading the Members page (${engineName()})`, () => {
  it('keeps filter, search and sort in the address across reload and Back', async () => {
    const page = await signedIn();
    await page.goto(`/orgs/${o.orgId}/members`);
    await page.getByRole('row').filter({ hasText: provisioned }).waitFor();

    // The count line is chips: "3 invited" (two invited here, one by the identity provider) filters to them.
    const own = page.getByText('You', { exact: true });
    await own.waitFor(); // the viewer's own row, marked
    await page.getByRole('button', { name: '3 invited' }).click();
    await page.waitForURL(/status=INVITED/);
    await own.waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: 'Search members' }).fill(invited[1].slice(0, 8));
    await page.waitForURL(/q=iris/);
    await page.getByRole('row').filter({ hasText: invited[1] }).waitFor();
    await page.getByRole('row').filter({ hasText: invited[0] }).waitFor({ state: 'detached' });
    await untilCount(rowsShown(page), 2); // the header and iris

    await page.reload();
    await page.getByRole('row').filter({ hasText: invited[1] }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Search members' }).inputValue()).toBe(invited[1].slice(0, 8));
    expect(await page.getByRole('button', { name: '3 invited' }).getAttribute('aria-pressed')).toBe('true');
    await untilCount(rowsShown(page), 2);

    // Sort: oldest first puts the owner (created with the organization) on top.
    await page.getByRole('textbox', { name: 'Search members' }).fill('');
    await page.waitForURL((url) => !url.searchParams.has('q'));
    await page.getByRole('button', { name: '3 invited' }).click();
    await own.waitFor();
    await page.getByRole('combobox', { name: 'Sort' }).click();
    await page.getByRole('option', { name: 'Oldest first' }).click();
    await page.waitForURL(/sort=oldest/);
    await rowsShown(page).nth(1).getByText('You', { exact: true }).waitFor();
    await page.getByRole('combobox', { name: 'Sort' }).click();
    await page.getByRole('option', { name: 'Newest first' }).click();
    await rowsShown(page).nth(1).getByText(provisioned).waitFor(); // newest first: the last one added

    // Back walks the address: newest → oldest first → no filter → the invited filter (typing replaced its entry).
    await page.goBack();
    await page.waitForURL(/sort=oldest/);
    await page.goBack();
    await page.goBack();
    await page.waitForURL(/status=INVITED/);
    await own.waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: invited[0] }).waitFor();
    await page.close();
  });

  it('on a 390 px phone: cards with one actions menu, a "Filters (N)" sheet, and no page scrolls sideways', async () => {
    const page = await signedIn(MOBILE);
    await page.goto(`/orgs/${o.orgId}/members`);
    const list = page.getByRole('list', { name: 'Members' });
    const card = list.getByRole('listitem').filter({ hasText: invited[0] });
    await card.getByText('Invited', { exact: true }).waitFor();
    expect(await page.getByRole('table', { name: 'Members' }).count()).toBe(0);

    await card.getByRole('button', { name: `Actions for ${invited[0]}` }).click();
    await page.getByRole('menuitem', { name: 'Reinvite' }).waitFor();
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Filters (0)' }).click();
    const sheet = page.getByRole('dialog', { name: 'Filters' });
    await sheet.getByRole('combobox', { name: 'Source' }).click();
    await page.getByRole('option', { name: 'SCIM (identity provider)' }).click();
    await sheet.getByRole('button', { name: 'Show members' }).click();
    await sheet.waitFor({ state: 'detached' }); // the sheet has closed
    await page.getByRole('button', { name: 'Filters (1)' }).waitFor();
    await list.getByRole('listitem').filter({ hasText: provisioned }).waitFor();
    await card.waitFor({ state: 'detached' });
    await expectAccessible(page);

    for (const path of pages()) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
    }
    await page.close();
  });

  it('finds no serious or critical axe-core violation on any page, at desktop and phone sizes', async () => {
    for (const viewport of [DESKTOP, MOBILE]) {
      const page = await signedIn(viewport);
      for (const path of pages()) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        await expectAccessible(page);
      }
      await page.close();
    }
  });
});
