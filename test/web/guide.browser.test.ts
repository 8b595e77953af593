/**
 * The JumpCloud guide, clicked through in Chromium: sign in with a token → create an organization → Settings →
 * SCIM provisioning → Enable SCIM → Save → copy the SCIM URL and key → JumpCloud provisions two users and a group →
 * Members shows both Invited, Groups shows the group with both → the invitee accepts from the e-mail's link →
 * the owner confirms → Confirmed.
 */
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { tokenFor } from '../graphql/gql';
import {
  type ConsoleEnv,
  INVITATION_LINK,
  expectAccessible,
  jumpCloudUser,
  linkFromMail,
  newContext,
  scimClient,
  screenshots,
  signInWithToken,
  startConsole,
} from './support/console';

let env: ConsoleEnv;
beforeAll(async () => {
  env = await startConsole();
}, 240_000);
afterAll(() => env?.close());

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe(`console: the JumpCloud guide in a browser (${engineName()})`, () => {
  it('provisions, invites, accepts and confirms through the console', async () => {
    const ownerEmail = `owner-${unique()}@example.test`;
    const ownerToken = await tokenFor(env.t.services, ownerEmail);
    const owner = await newContext(env);
    const page = await owner.newPage();

    await signInWithToken(page, ownerToken);
    await expectAccessible(page);

    const orgName = `Acme ${unique()}`;
    await page.getByLabel('Organization name').fill(orgName);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await page.getByText(orgName).first().waitFor();

    // Settings → SCIM provisioning, the seed's screen.
    await page.getByRole('link', { name: 'SCIM provisioning' }).click();
    await page.getByRole('heading', { name: 'SCIM provisioning', level: 1 }).waitFor();
    await page
      .getByText('Automatically provision users and groups with your preferred identity provider via SCIM provisioning')
      .waitFor();
    await page.getByRole('checkbox', { name: 'Enable SCIM' }).check();
    await page.getByRole('combobox', { name: 'Identity provider' }).click();
    await page.getByRole('option', { name: 'JumpCloud' }).click();
    await page
      .getByText('This API key has access to manage users within your organization. It should be kept secret.')
      .waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Shown this once: copy it into your identity provider now.').waitFor();
    const scimUrl = await page.getByLabel('SCIM URL', { exact: true }).inputValue();
    const apiKey = await page.getByLabel('SCIM API key', { exact: true }).inputValue();
    expect(scimUrl).toMatch(new RegExp(`^${env.baseUrl}/scim/v2/[0-9a-f-]{36}$`));
    expect(apiKey.length).toBeGreaterThan(20);
    expect(apiKey).not.toContain('•');
    // The JumpCloud panel says where each value goes.
    await page.getByText('Base URL', { exact: true }).waitFor();
    await page.getByText('Token Key', { exact: true }).waitFor();
    await page.getByText("Waiting for JumpCloud's first request").waitFor();
    await expectAccessible(page);

    // JumpCloud provisions two users and pushes a group with both, the way its connector does.
    const jc = scimClient(scimUrl, apiKey);
    const ada = `ada-${unique()}@example.test`;
    const grace = `grace-${unique()}@example.test`;
    const ids: string[] = [];
    for (const [email, given] of [
      [ada, 'Ada'],
      [grace, 'Grace'],
    ]) {
      expect((await jc.get(`/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`)).body.totalResults).toBe(0);
      const created = await jc.post('/Users', jumpCloudUser(email, given, 'Example'));
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const group = await jc.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineering',
      members: [],
    });
    expect(group.status).toBe(201);
    const add = await jc.patch(`/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
    });
    expect(add.status).toBe(204);
    // The guide's chip sees the requests (at its next look, within ten seconds).
    await page.getByText(/^Connected — last request (just now|.+ ago)$/).waitFor({ timeout: 15_000 });

    // Members: both Invited, marked as managed by JumpCloud.
    await page.getByRole('link', { name: 'Members' }).click();
    for (const email of [ada, grace]) {
      const row = page.getByRole('row').filter({ hasText: email });
      await row.getByText('Invited', { exact: true }).waitFor();
      await row.getByText('Managed by JumpCloud', { exact: true }).waitFor();
    }
    await expectAccessible(page);

    // Groups: Engineering with both.
    await page.getByRole('link', { name: 'Groups' }).click();
    const groupRow = page.getByRole('row').filter({ hasText: 'Engineering' });
    await groupRow.getByRole('cell', { name: '2', exact: true }).waitFor();
    await groupRow.getByRole('link', { name: 'Engineering' }).click();
    await page.getByRole('heading', { name: 'Engineering', level: 1 }).waitFor();
    for (const email of [ada, grace]) await page.getByRole('row').filter({ hasText: email }).waitFor();
    // JumpCloud pushed it: its membership changes there, so the console offers no add or remove, and says why.
    await page.getByText("JumpCloud manages this group's members: change them in JumpCloud.").waitFor();
    expect(await page.getByRole('combobox', { name: 'Add a member' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Remove from group/ }).count()).toBe(0);
    await expectAccessible(page);

    // Ada opens the invitation e-mail's link in her own browser and accepts.
    const link = await linkFromMail(env.smtp, ada, INVITATION_LINK);
    const invitee = await newContext(env);
    const inviteePage = await invitee.newPage();
    await inviteePage.goto(link);
    await inviteePage.getByRole('heading', { name: `Join ${orgName}` }).waitFor();
    await expectAccessible(inviteePage);
    await screenshots(inviteePage, 'invitation');
    await inviteePage.getByRole('button', { name: 'Accept invitation' }).click();
    await inviteePage.getByRole('heading', { name: 'Invitation accepted' }).waitFor();
    await inviteePage.getByText("waits for an administrator's confirmation").waitFor();
    await expectAccessible(inviteePage);
    await screenshots(inviteePage, 'invitation-accepted');

    // The owner confirms her.
    await page.getByRole('link', { name: 'Members' }).click();
    await page.reload();
    const adaRow = page.getByRole('row').filter({ hasText: ada });
    await adaRow.getByText('Accepted — needs confirmation').waitFor();
    // Each row's buttons are named for whom they act on.
    await adaRow.getByRole('button', { name: `Confirm ${ada}`, exact: true }).click();
    await adaRow.getByText('Confirmed', { exact: true }).waitFor();
    await page.getByRole('row').filter({ hasText: grace }).getByText('Invited', { exact: true }).waitFor();

    await owner.close();
    await invitee.close();
  });
});
