/**
 * The Members page in Chromium: the profile an identity provider sends (title, phone numbers, enterprise fields)
 * shown under "Show profile", found by label; and how quickly the first page of a 1,000-member organization is
 * on screen once its GraphQL answer has arrived.
 */
import { type Locator, type Page } from 'playwright-core';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { type ScimOrg, scimOrg } from '../helpers/scim';
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

let env: ConsoleEnv;
beforeAll(async () => {
  // The 1,000-member organization is provisioned faster than an identity provider may send.
  env = await startConsole({ SCIM_RATE_LIMIT_PER_SECOND: '100000', SCIM_RATE_LIMIT_BURST: '100000' });
}, 240_000);
afterAll(() => env?.close());

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

async function signedIn(o: ScimOrg): Promise<Page> {
  const page = await (await newContext(env)).newPage();
  await signInWithToken(page, o.ownerToken);
  return page;
}

/**
 * Times in the page's own clock (a string: the tests are not compiled for the DOM): when the body of the first
 * Members answer has arrived, when its 50 rows are in the document, and the next frame, when they are painted.
 */
const MEMBERS_TIMING = `
  const timing = (window.membersTiming = {});
  const fetch = window.fetch;
  window.fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (typeof init?.body === 'string' && init.body.includes('"operationName":"Members"') && !timing.response) {
      // Apollo's HttpLink reads the body with text(): the answer has arrived when that resolves.
      const text = response.text.bind(response);
      response.text = async () => {
        const body = await text();
        timing.response ??= performance.now();
        return body;
      };
    }
    return response;
  };
  new MutationObserver((_, observer) => {
    if (document.querySelectorAll('table[aria-label="Members"] tbody tr').length < 50) return;
    timing.rendered = performance.now();
    requestAnimationFrame(() => (timing.painted = performance.now()));
    observer.disconnect();
  }).observe(document, { childList: true, subtree: true });
`;

/** The text of the profile value labelled `label` (a description term) in a member's row. */
const valueOf = (row: Locator, label: string) => row.getByLabel(label, { exact: true }).textContent();

describe(`console: the Members page (${engineName()})`, () => {
  it('shows the profile fields a SCIM POST carried, by label, and lists only the fields with a value', async () => {
    const o = await scimOrg(env.t);
    const jc = scimClient(`${env.baseUrl}/scim/v2/${o.orgId}`, o.apiKey);
    const managerEmail = `grace-${unique()}@example.test`;
    const manager = await jc.post('/Users', jumpCloudUser(managerEmail, 'Grace', 'Hopper'));
    expect(manager.status).toBe(201);

    const email = `ada-${unique()}@example.test`;
    const ada = {
      ...jumpCloudUser(email, 'Ada', 'Lovelace'),
      title: 'Principal Engineer',
      phoneNumbers: [
        { value: '+44 20 7946 0018', type: 'work', primary: true },
        { value: '+44 7700 900123', type: 'mobile', primary: false },
      ],
      [ENTERPRISE]: {
        employeeNumber: 'E-1815',
        department: 'Analytical Engines',
        costCenter: '',
        organization: 'Babbage & Co',
        division: '',
        manager: { value: manager.body.id },
      },
    };
    expect((await jc.post('/Users', ada)).status).toBe(201);

    const page = await signedIn(o);
    await page.goto(`/orgs/${o.orgId}/members`);
    const row = page.getByRole('row').filter({ hasText: email });
    const toggle = row.getByRole('button', { name: 'Show profile' });
    await toggle.click();
    expect(await row.getByRole('button', { name: 'Hide profile' }).getAttribute('aria-expanded')).toBe('true');

    expect(await valueOf(row, 'Job title')).toBe('Principal Engineer');
    expect(await valueOf(row, 'Phone')).toBe('+44 20 7946 0018 (work, primary); +44 7700 900123 (mobile)');
    expect(await valueOf(row, 'Employee number')).toBe('E-1815');
    expect(await valueOf(row, 'Department')).toBe('Analytical Engines');
    expect(await valueOf(row, 'Organization')).toBe('Babbage & Co');
    expect(await valueOf(row, 'Manager ID')).toBe(manager.body.id);
    // JumpCloud sends an empty cost center: no empty entry is listed.
    expect(await row.getByLabel('Cost center', { exact: true }).count()).toBe(0);

    // The profile also says when the identity provider last changed the member.
    expect(await valueOf(row, 'Last provisioned')).toMatch(/\d{4}/);
    // A member whose identity provider sent no profile (the manager: JumpCloud's blanks only) shows its
    // provisioning alone, none of the profile's fields.
    const managerRow = page.getByRole('row').filter({ hasText: managerEmail });
    await managerRow.getByText('Grace Hopper').waitFor();
    await managerRow.getByRole('button', { name: 'Show profile' }).click();
    expect(await valueOf(managerRow, 'Last provisioned')).toMatch(/\d{4}/);
    for (const label of ['Job title', 'Phone', 'Employee number', 'Department', 'Organization', 'Cost center'])
      expect(await managerRow.getByLabel(label, { exact: true }).count()).toBe(0);

    await expectAccessible(page);
    // The screenshot shows the one member, its profile open.
    await page.getByRole('textbox', { name: 'Search members' }).fill(email);
    await page.getByText('1–1 of 1 members').waitFor();
    await row.getByRole('button', { name: 'Show profile' }).click();
    await row.getByRole('button', { name: 'Hide profile' }).click();
    expect(await row.getByLabel('Job title', { exact: true }).count()).toBe(0);
    // Last, as taking the phone-sized screenshot lays the rows out again (as cards), closing the profile.
    await row.getByRole('button', { name: 'Show profile' }).click();
    await screenshots(page, 'member-profile');
    await page.context().close();
  });

  it('shows the first page of a 1,000-member organization soon after its GraphQL answer arrives', async () => {
    // Staged provisioning: 999 members (and the owner) without 999 invitation e-mails.
    const o = await scimOrg(env.t, { staged: true });
    const jc = scimClient(`${env.baseUrl}/scim/v2/${o.orgId}`, o.apiKey);
    const tag = unique();
    const emails = Array.from({ length: 999 }, (_, i) => `m${String(i).padStart(3, '0')}-${tag}@example.test`);
    for (let i = 0; i < emails.length; i += 8)
      await Promise.all(
        emails.slice(i, i + 8).map(async (email) => {
          const r = await jc.post('/Users', jumpCloudUser(email, 'Member', String(i)));
          if (r.status !== 201) throw new Error(`SCIM POST ${email}: ${r.status} ${JSON.stringify(r.body)}`);
        }),
      );

    const page = await signedIn(o);
    await page.addInitScript(MEMBERS_TIMING);
    // Three fresh loads of the page; the best one says what the page costs, the others what the machine adds.
    const figures: { rendered: number; painted: number }[] = [];
    for (let load = 0; load < 3; load++) {
      await page.goto(`/orgs/${o.orgId}/members`);
      await page.getByText('1–50 of 1000 members').waitFor();
      await page.waitForFunction('window.membersTiming.painted !== undefined');
      const t = (await page.evaluate('window.membersTiming')) as Record<'response' | 'rendered' | 'painted', number>;
      expect(t.rendered).toBeGreaterThanOrEqual(t.response);
      figures.push({ rendered: t.rendered - t.response, painted: t.painted - t.response });
    }
    const best = Math.min(...figures.map((f) => f.painted));
    console.log(
      `Members page, 1,000 members, first page of 50 painted after its GraphQL answer: best ${best.toFixed(0)} ms of ${figures
        .map((f) => `${f.painted.toFixed(0)} ms (in the document at ${f.rendered.toFixed(0)} ms)`)
        .join(', ')}`,
    );
    // The budget is 200 ms; a test machine shared with other work gets twice that before this fails.
    expect(best).toBeLessThan(400);
    await page.context().close();
  }, 360_000); // 999 SCIM creates first: minutes on a loaded 2-core machine
});
