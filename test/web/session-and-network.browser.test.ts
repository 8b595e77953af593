/**
 * When the link to orgd fails under a signed-in person: a session that ended sends them to sign in, saying so, and
 * back to the page (and filters) they were on; an unreachable server keeps the page on screen under one banner
 * with Retry, and the page comes back by itself once orgd answers.
 */
import { type Page } from 'playwright-core';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type ScimOrg, scimOrg } from '../helpers/scim';
import { ok } from '../graphql/gql';
import { type ConsoleEnv, newContext, signInWithToken, startConsole } from './support/console';

let env: ConsoleEnv;
let o: ScimOrg;
const invited = `ivy-${unique()}@example.test`;
beforeAll(async () => {
  env = await startConsole();
  o = await scimOrg(env.t);
  await ok(
    env.t.app,
    o.ownerToken,
    `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
    { input: { organizationId: o.orgId, emails: [invited] } },
  );
}, 240_000);
afterAll(() => env?.close());

async function signedIn(): Promise<Page> {
  const page = await (await newContext(env)).newPage();
  await signInWithToken(page, o.ownerToken);
  return page;
}

describe(`console: an ended session and an unreachable server (${engineName()})`, () => {
  it('a 401 lands on sign-in with "Your session ended", and signing in comes back to the same page and filter', async () => {
    const page = await signedIn();
    const members = `/orgs/${o.orgId}/members?status=INVITED`;
    await page.goto(members);
    await page.getByRole('row').filter({ hasText: invited }).waitFor();

    // The session ends under the page (expired, or revoked from another device): its cookie no longer counts.
    await page.context().clearCookies();
    await page.getByRole('link', { name: 'Groups' }).click();

    await page.getByText('Your session ended').waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/sign-in');
    expect(url.searchParams.get('returnTo')).toBe(`/orgs/${o.orgId}/groups`);

    await page.getByLabel('Access token', { exact: true }).fill(o.ownerToken);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/orgs/${o.orgId}/groups`);

    // Back returns to the filtered list as it was.
    await page.goto(members);
    await page.getByRole('row').filter({ hasText: invited }).waitFor();
    await page.close();
  });

  it('keeps the data on screen while orgd is unreachable, says so once, and recovers on Retry', async () => {
    const page = await signedIn();
    await page.goto(`/orgs/${o.orgId}/members`);
    const row = page.getByRole('row').filter({ hasText: invited });
    await row.waitFor();

    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    // A new search asks the server, which cannot answer.
    await page.getByRole('textbox', { name: 'Search members' }).fill(invited.slice(0, 6));
    const banner = page.getByRole('status').filter({ hasText: "Can't reach orgd — retrying…" });
    await banner.waitFor();
    expect(await page.getByText("Can't reach orgd").count()).toBe(1);
    expect(await page.getByText('Request failed').count()).toBe(0); // not repeated by the page
    await row.waitFor(); // what was on screen stays

    await page.unroute('**/graphql');
    await banner.getByRole('button', { name: 'Retry' }).click();
    await banner.waitFor({ state: 'detached' });
    await row.waitFor();
    await page.close();
  });
});
