/**
 * Google Workspace auto-provisioning (User-Agent `Google-Auto-Provisioning`): every body is sent as
 * `application/json`, and `schemas` lists mix the core, enterprise and other URNs (including on PATCH requests).
 */
import { MemberStatus } from '../../../src/domain/enums';
import { type TestApp, createTestApp } from '../../helpers/app';
import { engineName } from '../../helpers/db';
import { unique } from '../../helpers/factories';
import { type ScimOrg, scim, scimOrg } from '../../helpers/scim';
import { ENTERPRISE, adminView, provisioningLog, q } from '../support';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
});
afterAll(() => t.close());

const HEADERS = {
  'User-Agent': 'Google-Auto-Provisioning',
  'Content-Type': 'application/json; charset=UTF-8',
  Accept: 'application/json',
};
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const googleUser = (email: string, given: string, family: string) => ({
  schemas: [CORE, ENTERPRISE, 'urn:scim:schemas:core:1.0', 'urn:example:params:scim:schemas:extension:google:2.0:User'],
  externalId: `1${Date.now()}${Math.floor(Math.random() * 1e6)}`,
  userName: email,
  name: { givenName: given, familyName: family },
  displayName: `${given} ${family}`,
  emails: [
    { value: email, type: 'work', primary: true },
    { value: `${given.toLowerCase()}@personal.example`, type: 'home' },
  ],
  active: true,
  [ENTERPRISE]: { department: 'Support', employeeNumber: '4711' },
  'urn:example:params:scim:schemas:extension:google:2.0:User': { orgUnitPath: '/Support' },
});

describe(`Google Workspace (${engineName()})`, () => {
  it('provisions, updates and suspends users with application/json and mixed schemas', async () => {
    const google = scim(t, o, HEADERS);
    const email = `lena-${unique()}@example.com`;
    await google.get(`/Users?filter=${q(`userName eq "${email}"`)}`).expect(200);
    const created = await google.post('/Users', googleUser(email, 'Lena', 'Berg')).expect(201);
    expect(created.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(created.body).toMatchObject({
      schemas: [CORE, ENTERPRISE],
      userName: email,
      emails: [
        { value: email, type: 'work', primary: true },
        { value: 'lena@personal.example', type: 'home' },
      ],
      [ENTERPRISE]: { department: 'Support', employeeNumber: '4711' },
    });
    expect(JSON.stringify(created.body)).not.toContain('orgUnitPath');

    const put = await google
      .put(`/Users/${created.body.id}`, { ...googleUser(email, 'Lena', 'Berg-Lund'), id: created.body.id })
      .expect(200);
    expect(put.body.name.familyName).toBe('Berg-Lund');

    // Suspension: a PATCH whose schemas mix PatchOp and the User schema.
    const off = await google
      .patch(`/Users/${created.body.id}`, {
        schemas: [PATCH_OP, CORE],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      })
      .expect(200);
    expect(off.body.active).toBe(false);

    const view = await adminView(t, o);
    expect(view.members.find((m) => m.id === created.body.id)).toMatchObject({
      status: MemberStatus.REVOKED,
      email,
      familyName: 'Berg-Lund',
      department: 'Support',
    });
    const log = await provisioningLog(t, o.orgId, 4);
    expect(log[0]).toMatchObject({ client: 'google', method: 'PATCH', status: 200 });
  });

  it('creates a group with members in application/json', async () => {
    const google = scim(t, o, HEADERS);
    const u = (await google.post('/Users', googleUser(`max-${unique()}@example.com`, 'Max', 'Moe')).expect(201)).body;
    const group = await google
      .post('/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', CORE],
        displayName: 'Support team',
        members: [{ value: u.id, type: 'User' }],
      })
      .expect(201);
    expect(group.body.members).toEqual([expect.objectContaining({ value: u.id })]);
    const view = await adminView(t, o);
    expect(view.members.find((m) => m.id === u.id)!.groups).toEqual(['Support team']);
  });
});
