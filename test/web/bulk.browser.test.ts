/**
 * Running an organization of 1,000 members from the console: actions on several members at once (a dialog naming
 * the count, batches of 100), "Confirm all accepted" whatever their number, a SCIM member kept revoked against its
 * identity provider, and the member list exported as CSV.
 */
import { type Page } from 'playwright-core';
import { cliActor } from '../../src/domain/actor';
import { ScimProvider } from '../../src/domain/enums';
import { engineName } from '../helpers/db';
import { makeOrganization, unique, userActor } from '../helpers/factories';
import { ok } from '../graphql/gql';
import {
  type ConsoleEnv,
  expectAccessible,
  jumpCloudUser,
  newContext,
  scimClient,
  signInWithToken,
  startConsole,
} from './support/console';

let env: ConsoleEnv;
let org: { orgId: string; ownerToken: string; ownerEmail: string; apiKey: string };
let page: Page;
const ACCEPTED = 150;
const INVITED = 850;
const tag = unique();
const emailOf = (kind: string, i: number) => `${kind}${String(i).padStart(3, '0')}-${tag}@example.test`;

/** Runs `work` over `items`, a few at a time (each is its own transaction). */
async function inParallel<T>(items: T[], work: (item: T) => Promise<unknown>, width = 8) {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

beforeAll(async () => {
  env = await startConsole({ SCIM_RATE_LIMIT_PER_SECOND: '100000', SCIM_RATE_LIMIT_BURST: '100000' });
  const s = env.t.services;
  const made = await makeOrganization(s, `Bulk ${tag}`);
  const { apiKey } = await s.scimSettings.enable(cliActor(), made.orgId, {
    provider: ScimProvider.JUMPCLOUD,
    inviteUsersAfterProvisioning: true,
  });
  org = { orgId: made.orgId, ownerToken: made.ownerToken, ownerEmail: made.ownerEmail, apiKey };
  // 150 accepted invitations waiting for confirmation, and 850 invited: 1,001 members with the owner.
  await inParallel([...Array(ACCEPTED).keys()], async (i) => {
    const email = emailOf('acc', i);
    const { invitationToken } = await s.memberLifecycle.invite(cliActor(), made.orgId, { email });
    await s.memberLifecycle.accept(await userActor(s, email), invitationToken);
  });
  await inParallel([...Array(INVITED).keys()], (i) =>
    s.memberLifecycle.invite(cliActor(), made.orgId, { email: emailOf('inv', i) }),
  );
  page = await (await newContext(env)).newPage();
  await signInWithToken(page, org.ownerToken);
}, 600_000);
afterAll(() => env?.close());

const COUNTS = `query($id: ID!) { organization(id: $id) { memberStatusCounts { accepted confirmed revoked total } } }`;
const counts = async () =>
  (await ok(env.t.app, org.ownerToken, COUNTS, { id: org.orgId })).organization.memberStatusCounts as Record<
    string,
    number
  >;

describe(`console: a 1,000-member organization, several members at once (${engineName()})`, () => {
  it('revokes 5 selected members with one reason, after a dialog naming the count', async () => {
    await page.goto(`/orgs/${org.orgId}/members?status=INVITED`);
    await page.getByText(`1–50 of ${INVITED} members`).waitFor();
    const emails = [0, 1, 2, 3, 4].map((i) => emailOf('inv', INVITED - 1 - i)); // newest first
    for (const email of emails) await page.getByRole('checkbox', { name: `Select ${email}` }).check();
    const bar = page.getByRole('region', { name: 'Selected' });
    await bar.getByText('5 members selected').waitFor();
    await bar.getByRole('button', { name: 'Revoke access (5)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke access for 5 members?' });
    await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('left the company');
    await dialog.getByRole('button', { name: 'Revoke access (5)' }).click();
    await page.getByText('Access revoked: 5 members.').waitFor();
    await page.goto(`/orgs/${org.orgId}/members?status=REVOKED`);
    for (const email of emails) {
      const row = page.getByRole('row').filter({ hasText: email });
      await row.getByText('Reason: left the company').waitFor();
    }
    expect((await counts()).revoked).toBe(5);
  });

  it(`confirms all ${ACCEPTED} accepted members with "Confirm all accepted", in batches of 100`, async () => {
    await page.goto(`/orgs/${org.orgId}/members`);
    const batches: string[] = [];
    page.on('request', (r) => {
      if (r.postData()?.includes('"operationName":"MembersConfirm"')) batches.push(r.postData()!);
    });
    await page.getByRole('button', { name: `Confirm all accepted (${ACCEPTED})` }).click();
    const dialog = page.getByRole('dialog', { name: `Confirm ${ACCEPTED} members?` });
    await dialog.getByRole('button', { name: `Confirm (${ACCEPTED})` }).click();
    await page.getByText(`Confirmed: ${ACCEPTED} members.`).waitFor({ timeout: 60_000 });
    const after = await counts();
    expect(after.accepted).toBe(0);
    expect(after.confirmed).toBe(ACCEPTED + 1); // and the owner
    await page.getByRole('button', { name: 'Confirm all accepted (0)' }).waitFor();
    // The server takes 100 members a call: 150 are two calls, of 100 and 50.
    expect(batches.map((b) => (b.match(/"memberId"/g) ?? []).length)).toEqual([100, 50]);
  }, 120_000);

  it('changes the role of every member matching the filter, beyond the page, after "Select all N matching"', async () => {
    const invited = INVITED - 5; // the five revoked above
    await page.goto(`/orgs/${org.orgId}/members?status=INVITED`);
    await page.getByText(`1–50 of ${invited} members`).waitFor();
    await page.getByRole('checkbox', { name: 'Select all members on this page' }).check();
    const bar = page.getByRole('region', { name: 'Selected' });
    await bar.getByRole('button', { name: `Select all ${invited} matching the filter` }).click();
    await bar.getByText(`${invited} members selected`).waitFor();
    await bar.getByRole('button', { name: `Change role (${invited})` }).click();
    const dialog = page.getByRole('dialog', { name: `Change the role of ${invited} members` });
    await dialog.getByRole('combobox', { name: 'New role' }).click();
    await dialog.getByRole('option', { name: 'Admin', exact: true }).click();
    await dialog.getByRole('button', { name: `Change role (${invited})` }).click();
    await page.getByText(`Role changed: ${invited} members.`).waitFor({ timeout: 120_000 });
    const admins = await ok(
      env.t.app,
      org.ownerToken,
      `query($id: ID!) { organization(id: $id) { memberIds(filter: { roles: [ADMIN] }) { totalCount } } }`,
      { id: org.orgId },
    );
    expect(admins.organization.memberIds.totalCount).toBe(invited);
  }, 180_000);

  it('lists, by address, the members a bulk action failed for, beyond the page too', async () => {
    await page.goto(`/orgs/${org.orgId}/members?status=CONFIRMED&sort=newest`);
    await page.getByText(`1–50 of ${ACCEPTED + 1} members`).waitFor();
    await page.getByRole('checkbox', { name: 'Select all members on this page' }).check();
    const bar = page.getByRole('region', { name: 'Selected' });
    await bar.getByRole('button', { name: `Select all ${ACCEPTED + 1} matching the filter` }).click();
    await bar.getByRole('button', { name: `Revoke access (${ACCEPTED + 1})` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke access for ${ACCEPTED + 1} members?` });
    // A new dialog starts empty: the reason of the first test's revocation is not carried over.
    expect(await dialog.getByRole('textbox', { name: 'Reason (optional)' }).inputValue()).toBe('');
    await dialog.getByRole('button', { name: `Revoke access (${ACCEPTED + 1})` }).click();
    // The owner (the oldest, not on the page) may not revoke their own access: the dialog stays open to say so.
    await dialog.getByText(`${ACCEPTED + 1} of ${ACCEPTED + 1} members handled, 1 failed`).waitFor();
    const failures = dialog.getByRole('list', { name: 'Failures' });
    await failures.getByText(new RegExp(`^${org.ownerEmail}: `)).waitFor();
    await page.getByText(`Access revoked: ${ACCEPTED} members.`).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    expect((await counts()).confirmed).toBe(1);
  });

  it('keeps a SCIM member revoked when JumpCloud sends active: true, until Restore lifts the hold', async () => {
    const jc = scimClient(`${env.baseUrl}/scim/v2/${org.orgId}`, org.apiKey);
    const email = `frances-${unique()}@example.test`;
    const user = jumpCloudUser(email, 'Frances', 'Allen');
    const created = await jc.post('/Users', user);
    expect(created.status).toBe(201);

    await page.goto(`/orgs/${org.orgId}/members?q=${encodeURIComponent(email)}`);
    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByText('Managed by JumpCloud', { exact: true }).waitFor();
    await row.getByRole('button', { name: `Revoke access for ${email}` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke access for ${email}?` });
    await dialog.getByText('JumpCloud may undo this at its next sync.').waitFor();
    await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('left the company');
    await dialog.getByRole('checkbox', { name: 'Keep revoked' }).check();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Revoke access (1)' }).click();
    await row.getByText(`Kept revoked by ${org.ownerEmail}`, { exact: false }).waitFor();

    // JumpCloud's routine PUT says the user is active: the hold keeps the member revoked.
    const put = await jc.put(`/Users/${created.body.id}`, { ...user, id: created.body.id, active: true });
    expect(put.status).toBe(200);
    await page.reload();
    await row.getByText('Revoked', { exact: true }).waitFor();
    await row.getByText(`Kept revoked by ${org.ownerEmail}`, { exact: false }).waitFor();
    await row.getByText('Reason: left the company').waitFor();

    await row.getByRole('button', { name: `Restore access for ${email}` }).click();
    await row.getByText('Invited', { exact: true }).waitFor();
    expect(await row.getByText('Kept revoked by', { exact: false }).count()).toBe(0);
  });

  it('finds a SCIM revocation in the event log filtered by person, as a sentence linking the member', async () => {
    const jc = scimClient(`${env.baseUrl}/scim/v2/${org.orgId}`, org.apiKey);
    const email = `lin-${unique()}@example.test`;
    const created = await jc.post('/Users', jumpCloudUser(email, 'Lin', 'Example'));
    expect(created.status).toBe(201);
    const off = await jc.patch(`/Users/${created.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.status).toBe(200);

    await page.goto(`/orgs/${org.orgId}/events`);
    await page.getByRole('textbox', { name: 'About' }).fill(email);
    await page.waitForURL(/person=/);
    const events = page.getByRole('table', { name: 'Events' });
    const revoked = events.getByRole('row').filter({ hasText: 'member.revoked' });
    await revoked.getByText(`JumpCloud revoked ${email}`).waitFor();
    await revoked.getByRole('cell', { name: 'SCIM', exact: true }).waitFor();
    // Only that person's events: provisioned, then revoked.
    await page.getByText('1–2 of 2 events').waitFor();
    await expectAccessible(page);
    // The filter is in the address: a reload keeps it; the member is a link to their row.
    await page.reload();
    await revoked.getByRole('link', { name: email }).click();
    await page.getByRole('row').filter({ hasText: email }).getByText('Revoked', { exact: true }).waitFor();

    // The log's CSV, with the same filter: the same two events.
    await page.goBack();
    const link = page.getByRole('link', { name: 'Export CSV' });
    expect(await link.getAttribute('href')).toContain(`person=${encodeURIComponent(email)}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/);
    expect(lines.length - 1).toBe(2);
    expect(lines.some((l) => l.includes('member.revoked') && l.includes('SCIM'))).toBe(true);
  });

  it("invites into a group created here; JumpCloud's own groups are not offered", async () => {
    const design = await env.t.services.groups.create(cliActor(), org.orgId, { displayName: `Design ${tag}` });
    const jc = scimClient(`${env.baseUrl}/scim/v2/${org.orgId}`, org.apiKey);
    const pushed = await jc.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: `Sales ${tag}`,
      members: [],
    });
    expect(pushed.status).toBe(201);

    await page.goto(`/orgs/${org.orgId}/members`);
    await page.getByRole('button', { name: 'Invite member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite members' });
    const email = `noor-${unique()}@example.test`;
    await dialog.getByRole('textbox', { name: 'Email addresses' }).fill(email);
    await dialog.getByRole('combobox', { name: 'Groups (optional)' }).click();
    await dialog.getByRole('option', { name: `Design ${tag}` }).click();
    expect(await dialog.getByRole('option', { name: `Sales ${tag}` }).count()).toBe(0);
    await dialog.getByRole('textbox', { name: 'Email addresses' }).click(); // closes the list of groups
    await dialog.getByRole('button', { name: 'Send invitations' }).click();
    await dialog.waitFor({ state: 'detached' });
    const members = await ok(
      env.t.app,
      org.ownerToken,
      `query($id: ID!, $groupId: ID!) { organization(id: $id) { group(id: $groupId) { members { nodes { email } } } } }`,
      { id: org.orgId, groupId: design.id },
    );
    expect(members.organization.group.members.nodes.map((m: { email: string }) => m.email)).toEqual([email]);
  });

  it('exports the members as CSV with the session cookie, every one of them', async () => {
    await page.goto(`/orgs/${org.orgId}/members`);
    const link = page.getByRole('link', { name: 'Export CSV' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(new RegExp(`^/export/organizations/${org.orgId}/members\\.csv`));
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(path, 'utf8')).trim().split(/\r?\n/);
    const header = lines[0].split(',');
    expect(header).toContain('email');
    // Every member: the 1,001 of the set-up, Frances, Lin and Noor, none of them with a line break in a field.
    const emailColumn = header.indexOf('email');
    const emails = new Set(lines.slice(1).map((l) => l.split(',')[emailColumn]));
    expect(lines.length - 1).toBe(1 + ACCEPTED + INVITED + 3);
    expect(emails.has(emailOf('acc', 0))).toBe(true);
    expect(emails.has(emailOf('inv', INVITED - 1))).toBe(true);
  });

  it('adds members to a group found by typing its name, past the first 100; a pushed group is shown, not pickable', async () => {
    await env.t.orm.em.fork().execute(
      `insert into member_group (id, organization_id, display_name, source)
       select gen_random_uuid(), ?::uuid, 'Team ' || lpad(i::text, 3, '0') || ' ' || ?, 'MANUAL' from generate_series(0, 119) i
       union all select gen_random_uuid(), ?::uuid, 'Team pushed ' || ?, 'SCIM'`,
      [org.orgId, tag, org.orgId, tag],
    );
    const emails = [0, 1].map((i) => emailOf('inv', i));
    await page.goto(`/orgs/${org.orgId}/members?status=INVITED&q=${encodeURIComponent(`inv00`)}`);
    for (const email of emails) await page.getByRole('checkbox', { name: `Select ${email}` }).check();
    await page.getByRole('region', { name: 'Selected' }).getByRole('button', { name: 'Add to group (2)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add 2 members to a group' });
    const picker = dialog.getByRole('combobox', { name: 'Group' });
    await picker.click();
    // The first answer: 20 of the 121 groups by name, and a hint to type.
    await dialog.getByText(/The first 20 of \d+ matching groups: type to narrow\./).waitFor();
    await picker.fill(`Team 115 ${tag}`);
    await dialog.getByRole('option', { name: `Team 115 ${tag}` }).click();
    await dialog.getByRole('button', { name: 'Add to group (2)' }).click();
    await page.getByText('Added to the group: 2 members.').waitFor();

    // The identity provider's group is listed with why it cannot be picked.
    await page.getByRole('region', { name: 'Selected' }).getByRole('button', { name: 'Add to group (2)' }).click();
    await picker.fill(`Team pushed ${tag}`);
    const pushed = dialog.getByRole('option', { name: `Team pushed ${tag} (managed by JumpCloud: read-only here)` });
    expect(await pushed.getAttribute('aria-disabled')).toBe('true');
    await dialog.getByRole('heading', { name: 'Add 2 members to a group' }).click(); // closes the list
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    const members = await ok(
      env.t.app,
      org.ownerToken,
      `query($id: ID!, $q: String) { organization(id: $id) { groups(filter: { query: $q }) { nodes { members { nodes { email } } } } } }`,
      { id: org.orgId, q: `Team 115 ${tag}` },
    );
    const [group] = members.organization.groups.nodes;
    expect(group.members.nodes.map((m: { email: string }) => m.email).sort()).toEqual(emails);
  });

  it('"Select all N matching" past 10,000 members: every page of ids is read, the true count named', async () => {
    const big = await makeOrganization(env.t.services, `Big ${tag}`);
    const MANY = 10_050;
    await env.t.orm.em.fork().execute(
      `insert into member (id, organization_id, email, user_name, role, permissions, status, source, role_source)
       select gen_random_uuid(), ?, 'many-' || i || '@example.test', 'many-' || i, 'USER', '{}'::jsonb, 'INVITED', 'INVITE', 'MANUAL'
         from generate_series(1, ?) i`,
      [big.orgId, MANY],
    );
    const bigPage = await (await newContext(env)).newPage();
    await signInWithToken(bigPage, big.ownerToken);
    const idPages: string[] = [];
    bigPage.on('request', (r) => {
      if (r.postData()?.includes('"operationName":"MemberIds"')) idPages.push(r.postData()!);
    });
    await bigPage.goto(`/orgs/${big.orgId}/members?status=INVITED`);
    await bigPage.getByText(`1–50 of ${MANY} members`).waitFor();
    await bigPage.getByRole('checkbox', { name: 'Select all members on this page' }).check();
    const bar = bigPage.getByRole('region', { name: 'Selected' });
    await bar.getByRole('button', { name: `Select all ${MANY} matching the filter` }).click();
    await bar.getByText(`${MANY} members selected`).waitFor();
    // Two pages: 10,000 ids, then the 50 after the first page's last.
    expect(idPages).toHaveLength(2);
    expect(JSON.parse(idPages[0]).variables.after).toBeNull();
    expect(JSON.parse(idPages[1]).variables.after).toEqual(expect.any(String));
    await bar.getByRole('button', { name: `Remove (${MANY})` }).click();
    const dialog = bigPage.getByRole('dialog', { name: `Remove ${MANY} members?` });
    await dialog.getByRole('button', { name: `Remove (${MANY})` }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await bigPage.context().close();
  }, 120_000);
});
