/** Single sign-on from the console's sign-in page through a real OpenID provider (oidc-provider), in Chromium. */
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type RealOidcProvider, startOidcProvider } from '../helpers/oidc-provider';
import { type ConsoleEnv, expectAccessible, newContext, startConsole } from './support/console';

const CLIENT = { clientId: 'orgd-console', clientSecret: 'a-client-secret-of-enough-length-0123456789' };
let provider: RealOidcProvider;
let env: ConsoleEnv;

beforeAll(async () => {
  env = await startConsole(async (baseUrl) => {
    provider = await startOidcProvider({ ...CLIENT, redirectUri: `${baseUrl}/auth/oidc/callback` });
    return {
      OIDC_ISSUER: provider.url,
      OIDC_AUDIENCE: CLIENT.clientId,
      OIDC_CLIENT_ID: CLIENT.clientId,
      OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    };
  });
}, 240_000);
afterAll(async () => {
  await env?.close();
  await provider?.close();
});

describe(`console: single sign-on in a browser (${engineName()})`, () => {
  it("signs in through the provider's login and consent pages and returns to the page asked for", async () => {
    const email = `sso-${unique()}@example.test`;
    const context = await newContext(env);
    const page = await context.newPage();
    await page.goto('/account');
    await page.waitForURL(/\/sign-in\?returnTo=/);
    const sso = page.getByRole('link', { name: 'Sign in with single sign-on' });
    await sso.waitFor();
    await expectAccessible(page);
    await sso.click();

    await page.waitForURL((url) => url.origin === provider.url);
    await page.locator('input[name="login"]').fill(email);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // consent
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await page.getByText(`Signed in as ${email}`).waitFor();
    await page
      .getByRole('table', { name: 'Sessions' })
      .getByRole('row')
      .filter({ hasText: '(this browser)' })
      .getByText('Single sign-on')
      .waitFor();
    await context.close();
  });

  it('comes back to the sign-in page with a clear message when the provider does not vouch for the address', async () => {
    const context = await newContext(env);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
    await page.waitForURL((url) => url.origin === provider.url);
    await page.locator('input[name="login"]').fill(`unverified-${unique()}@example.test`);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/sign-in\?error=/);
    await page.getByRole('alert').filter({ hasText: 'Single sign-on failed' }).waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
