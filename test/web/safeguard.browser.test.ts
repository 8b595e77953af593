/**
 * The deprovisioning safeguard in Chromium: an identity provider deprovisions past the threshold, the SCIM page
 * shows the banner and the held changes, and Apply held changes applies them.
 */
import { type Page } from 'playwright-core';
import { engineName } from '../helpers/db';
import { PATCH_SCHEMA, type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';
import {
  type ConsoleEnv,
  expectAccessible,
  newContext,
  screenshots,
  signInWithToken,
  startConsole,
} from './support/console';

let env: ConsoleEnv;
let o: ScimOrg;
let page: Page;

beforeAll(async () => {
  env = await startConsole();
  o = await scimOrg(env.t);
  await env.t.services.scimSettings.update({ kind: 'CLI' }, o.orgId, {
    deprovisioningSafeguard: { threshold: 1, windowMinutes: 60 },
  });
  page = await (await newContext(env)).newPage();
  await signInWithToken(page, o.ownerToken);
}, 240_000);
afterAll(() => env?.close());

const deactivate = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] };

describe(`console: deprovisioning safeguard (${engineName()})`, () => {
  it('shows the banner and the held changes on the SCIM page, and applies them', async () => {
    const ids: string[] = [];
    const emails: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await scim(env.t, o).post('/Users', newUser());
      ids.push(created.body.id);
      emails.push(created.body.userName);
    }
    expect((await scim(env.t, o).patch(`/Users/${ids[0]}`, deactivate)).body.active).toBe(false);
    expect(
      (await scim(env.t, o).patch(`/Users/${ids[1]}`, deactivate).set('X-Request-Id', 'okta-req-42')).body.active,
    ).toBe(true);
    expect((await scim(env.t, o).delete(`/Users/${ids[2]}`)).status).toBe(204);

    await page.goto(`/orgs/${o.orgId}/settings/scim`);
    await page.getByRole('heading', { name: 'SCIM provisioning', level: 1 }).waitFor();
    const banner = page.getByRole('alert').filter({ hasText: 'Deprovisioning safeguard tripped' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('2 further changes are on hold');
    const table = page.getByRole('table', { name: 'Held changes' });
    await table.getByRole('row').filter({ hasText: emails[1] }).filter({ hasText: 'Deactivate' }).waitFor();
    await table.getByRole('row').filter({ hasText: 'okta-req-42' }).waitFor();
    await table.getByRole('row').filter({ hasText: emails[2] }).filter({ hasText: 'Delete' }).waitFor();
    await expectAccessible(page);
    await screenshots(page, 'safeguard');

    await page.getByRole('button', { name: 'Apply held changes' }).click();
    await table.waitFor({ state: 'detached' });
    await banner.waitFor({ state: 'detached' });
    expect((await scim(env.t, o).get(`/Users/${ids[1]}`)).body.active).toBe(false);
    expect((await scim(env.t, o).get(`/Users/${ids[2]}`)).status).toBe(404);
  });
});
