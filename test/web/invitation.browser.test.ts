/**
 * The invitation page and the sign-in link page in Chromium when an account is involved: an invitation to an
 * address that has an account asks its owner to sign in first (and comes back), and another account signed in in
 * the browser is named, with "Sign out and continue", never switched silently.
 */
import { cliActor } from '../../src/domain/actor';
import { engineName } from '../helpers/db';
import { makeOrganization, unique } from '../helpers/factories';
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

/** An invitation to `email` from a fresh organization; the path its e-mail links to. */
async function invitationTo(email: string): Promise<{ path: string; orgName: string }> {
  const orgName = `Acme ${unique()}`;
  const { orgId } = await makeOrganization(env.t.services, orgName);
  const { invitationToken } = await env.t.services.memberLifecycle.invite(cliActor(), orgId, { email });
  return { path: `/invitations/accept?token=${encodeURIComponent(invitationToken)}`, orgName };
}

describe(`console: invitations and accounts in a browser (${engineName()})`, () => {
  it('an address with an account signs in first (e-mail link), comes back and accepts', async () => {
    const email = `known-${unique()}@example.test`;
    await tokenFor(env.t.services, email); // the account exists
    const { path, orgName } = await invitationTo(email);
    const context = await newContext(env);
    const page = await context.newPage();

    await page.goto(path);
    await page.getByRole('heading', { name: `Join ${orgName}` }).waitFor();
    await page.getByText(`${email} already has an account`).waitFor();
    expect(await page.getByRole('button', { name: 'Accept invitation' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshots(page, 'invitation-sign-in-first');

    await page.getByRole('link', { name: `Sign in as ${email}` }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByText('Check your inbox').waitFor();

    await page.goto(await linkFromMail(env.smtp, email, SIGN_IN_LINK));
    await page.getByText(`This link signs you in as ${email[0]}***@example.test`).waitFor();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    // Back on the invitation, signed in as the invited address: accepting keeps this session.
    await page.getByRole('heading', { name: `Join ${orgName}` }).waitFor();
    await page.getByText(`You are signed in as ${email}`).waitFor();
    await page.getByRole('button', { name: 'Accept invitation' }).click();
    await page.getByRole('heading', { name: 'Invitation accepted' }).waitFor();
    await page.getByRole('link', { name: 'Go to the console' }).click();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await context.close();
  });

  it('another account signed in: the invitation page names both and offers Sign out and continue', async () => {
    const other = `other-${unique()}@example.test`;
    const invited = `known-${unique()}@example.test`;
    await tokenFor(env.t.services, invited);
    const { path, orgName } = await invitationTo(invited);
    const context = await newContext(env);
    const page = await context.newPage();
    await signInWithToken(page, await tokenFor(env.t.services, other));

    await page.goto(path);
    await page.getByRole('heading', { name: `Join ${orgName}` }).waitFor();
    const notice = page.getByRole('status').filter({ hasText: 'Signed in as someone else' });
    await notice.getByText(`You are signed in as ${other}; this invitation is for ${invited}.`).waitFor();
    expect(await page.getByRole('button', { name: 'Accept invitation' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshots(page, 'invitation-other-account');

    await page.getByRole('button', { name: 'Sign out and continue' }).click();
    await page.getByRole('link', { name: `Sign in as ${invited}` }).waitFor();
    expect((await context.cookies()).find((c) => c.name === 'orgd_session')).toBeUndefined();
    await context.close();
  });

  it('the sign-in link page names its account and, with another one signed in, offers Sign out and continue', async () => {
    const other = `other-${unique()}@example.test`;
    const owner = `bob-${unique()}@corp.example`;
    await tokenFor(env.t.services, owner);
    const context = await newContext(env);
    const page = await context.newPage();
    await signInWithToken(page, await tokenFor(env.t.services, other));

    env.t.services.signIn.requestEmailLink(owner);
    await env.t.services.signIn.emailLinksSettled();
    await page.goto(await linkFromMail(env.smtp, owner, SIGN_IN_LINK));
    await page.getByText('This link signs you in as b***@corp.example').waitFor();
    await page.getByText(`You are signed in as ${other}; this link is for b***@corp.example.`).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(0);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Sign out and continue' }).click();
    await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    await page.goto('/account');
    await page.getByText(`Signed in as ${owner}`).waitFor();
    await context.close();
  });
});
