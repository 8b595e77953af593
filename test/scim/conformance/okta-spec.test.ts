/**
 * Okta's "SCIM 2.0 SPEC Test" (Runscope export, ../shared/conformance/okta-scim-20-spec-test.json) run against the
 * real app listening on 127.0.0.1:<random port>. Expected: 12/12 request steps, every assertion.
 *
 * Set-up as Okta's guide asks: a SCIM-enabled organization with at least one user that has a given and a family
 * name (the spec test reads `Resources[0]` of `/Users?count=1`, which is the organization's first member, its
 * owner), and the Runscope initial variables (random user names and e-mails, an id that does not exist).
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cliActor } from '../../../src/domain/actor';
import { type TestApp, createTestApp, listening } from '../../helpers/app';
import { engineName } from '../../helpers/db';
import { type ScimOrg, scimOrg } from '../../helpers/scim';
import { conformanceFile } from './paths';
import { type RunscopeTest, runRunscope } from './runscope';

const file = conformanceFile('okta-scim-20-spec-test.json');
const describeIf = file ? describe : describe.skip;

let t: TestApp;
let o: ScimOrg;
let server: Awaited<ReturnType<typeof listening>> | undefined;
let port: number;

describeIf(`Okta SCIM 2.0 spec test (${engineName()})`, () => {
  beforeAll(async () => {
    t = await createTestApp();
    o = await scimOrg(t);
    await t.services.memberProfiles.update(cliActor(), o.orgId, o.ownerMemberId, {
      profile: { givenName: 'Olivia', familyName: 'Owner', displayName: 'Olivia Owner' },
    });
    server = await listening(t.app);
    port = server.port;
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('passes 12/12 request steps with every assertion', async () => {
    const spec = JSON.parse(fs.readFileSync(file!, 'utf8')) as RunscopeTest;
    const random = () => randomBytes(5).toString('hex');
    const username = `Runscope${random()}@atko.com`;
    const results = await runRunscope(spec, {
      SCIMBaseURL: `http://127.0.0.1:${port}/scim/v2/${o.orgId}`,
      auth: `Bearer ${o.apiKey}`,
      randomUsername: username,
      randomUsernameCaps: username.toUpperCase(),
      randomEmail: `Runscope${random()}@atko.com`,
      randomGivenName: `Runscope${random()}`,
      randomFamilyName: `Runscope${random()}`,
      InvalidUserEmail: `Runscope${random()}@atko.com`,
      UserIdThatDoesNotExist: `010101001010101${random()}`,
    });

    const report = results.map((r, i) => {
      const failed = r.assertions
        .filter((a) => !a.passed)
        .map((a) => `      ✕ ${a.assertion} (got ${JSON.stringify(a.actual)})`);
      return [
        `${r.passed ? '✓' : '✕'} ${i + 1}. ${r.note.trim()} — ${r.method} ${r.status} in ${Math.round(r.ms)} ms (${r.assertions.length} assertions)`,
        ...failed,
      ].join('\n');
    });
    const passed = results.filter((r) => r.passed).length;
    console.log(
      `[okta spec] ${passed}/${results.length} steps passed, ${results.reduce((n, r) => n + r.assertions.filter((a) => a.passed).length, 0)}/${results.reduce((n, r) => n + r.assertions.length, 0)} assertions\n${report.join('\n')}`,
    );

    expect(results).toHaveLength(12);
    expect(results.filter((r) => !r.passed).map((r) => r.note)).toEqual([]);
  });
});
