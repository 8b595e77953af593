/**
 * Signing in to the console in Chromium — access token, e-mail link, single sign-on (OIDC) — signing out, and the
 * pages for what cannot be shown (unknown page, organization, invitation or sign-in link).
 */
import { randomUUID } from 'node:crypto';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { tokenFor } from '../graphql/gql';
import {
  type ConsoleEnv,
  SIGN_IN_LINK,
  expectAccessible,
  linkFromMail,
  newContext,
  screenshots,
  signInWithToken,
  startConsole,
} from './support/console';

let env: ConsoleEnv;
beforeAll(async () => {
  env = await startConsole();
}, 240_000);
afterAll(() => env?.close());

describe(`console: signing in and error pages in a browser (${engineName()})`, () => {
  it('access token: a wrong one is refused next to the field; a valid one signs in and returns to the page asked for; Sign out ends the session', async () => {
    const email = `op-${unique()}@example.test`;
    const token = await tokenFor(env.t.services, email);
    const context = await newContext(env);
    const page = await context.newPage();

    await page.goto('/account');
    await page.waitForURL(/\/sign-in\?returnTo=%2Faccount$/);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'sign-in');

    await page.getByLabel('Access token', { exact: true }).fill(`${token}x`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('This access token is not valid').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Access token', { exact: true }).fill(token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await page.getByText(`Signed in as ${email}`).waitFor();
    await page
      .getByRole('table', { name: 'Sessions' })
      .getByRole('row')
      .filter({ hasText: '(this browser)' })
      .getByText('Access token')
      .waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'orgd_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    // The session is revoked on the server, not only forgotten by the browser.
    const replay = await fetch(`${env.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: `orgd_session=${cookie!.value}` },
      body: JSON.stringify({ query: '{ viewer { user { email } } }' }),
    });
    const replayed = (await replay.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(replayed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await page.goto('/');
    await page.waitForURL(/\/sign-in/);
    await context.close();
  });

  it('e-mail link: requested on the page, opened from the mail, signs in once; opened again it says so clearly', async () => {
    const email = `mail-${unique()}@example.test`;
    await tokenFor(env.t.services, email); // the account exists
    const context = await newContext(env);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText('Check your inbox').waitFor();

    const link = await linkFromMail(env.smtp, email, SIGN_IN_LINK);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Sign in with your link' }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'sign-in-link');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();

    const other = await newContext(env);
    const again = await other.newPage();
    await again.goto(link);
    // The page looks the link up before offering to sign in: a used link says so at once.
    await again.getByRole('heading', { name: 'Sign-in link not valid' }).waitFor();
    await again.getByText('already used or expired').waitFor();
    await expectAccessible(again);
    await context.close();
    await other.close();
  });

  it('offers no single sign-on button when OIDC is not configured', async () => {
    const context = await newContext(env);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Access token', { exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Sign in with single sign-on' }).count()).toBe(0);
    await context.close();
  });

  it('shows clear pages for an unknown page, organization, invitation and sign-in link', async () => {
    const context = await newContext(env);
    const page = await context.newPage();

    await page.goto('/no/such/page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'not-found');

    for (const url of ['/invitations/accept?token=inv_not-a-real-token', '/invitations/accept']) {
      await page.goto(url);
      await page.getByRole('heading', { name: 'Invitation not found' }).waitFor();
    }
    await expectAccessible(page);
    await screenshots(page, 'invitation-invalid');

    await page.goto('/sign-in/link');
    await page.getByRole('heading', { name: 'Sign-in link not valid' }).waitFor();

    await signInWithToken(page, await tokenFor(env.t.services, `lost-${unique()}@example.test`));
    await page.goto(`/orgs/${randomUUID()}/members`);
    await page.getByRole('heading', { name: 'Organization not found' }).waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
