/**
 * Microsoft Entra ID provisioning, with the request shapes of Microsoft's "Develop a SCIM endpoint" reference:
 * "Test connection" probes with a random GUID (`id eq`, `userName eq`, groups with `excludedAttributes=members`),
 * capitalised ops (`Replace`, `Add`, `Remove`), `"False"` strings for active, value paths such as
 * `emails[type eq "work"].value`, the enterprise `manager` as a bare string, member adds and removes with value
 * arrays carrying `$ref: null`, and the `Adscimversion` header by which we recognise it (for the log only).
 */
import { randomUUID } from 'node:crypto';
import { MemberStatus } from '../../../src/domain/enums';
import { type TestApp, createTestApp } from '../../helpers/app';
import { engineName } from '../../helpers/db';
import { unique } from '../../helpers/factories';
import { type ScimOrg, scim, scimOrg } from '../../helpers/scim';
import { ENTERPRISE, adminView, graphqlProfile, provisioningLog, q } from '../support';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
});
afterAll(() => t.close());

const HEADERS = {
  Adscimversion: 'scim2.0',
  'Content-Type': 'application/scim+json',
  'User-Agent': 'Microsoft.Identity.Provisioning',
};
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const entraUser = (userName: string, email: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  externalId: randomUUID(),
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: email }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
});

describe(`Entra ID (${engineName()})`, () => {
  it('answers "Test connection" probes with random GUIDs as empty lists', async () => {
    const entra = scim(t, o, HEADERS);
    for (const path of [
      `/Users?filter=${q(`id eq "${randomUUID()}"`)}`,
      `/Users?filter=${q(`userName eq "${randomUUID()}"`)}`,
      `/Users?filter=${q(`externalId eq "${randomUUID()}"`)}`,
      `/Groups?excludedAttributes=members&filter=${q(`id eq "${randomUUID()}"`)}`,
      `/Groups?excludedAttributes=members&filter=${q(`displayName eq "${randomUUID()}"`)}`,
    ]) {
      const res = await entra.get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({ totalResults: 0, Resources: [] });
    }
    await entra.get(`/Users/${randomUUID()}`).expect(404);
    // The provisioning log names the client from the Adscimversion header.
    const log = await provisioningLog(t, o.orgId, 6);
    expect(log.slice(0, 6).map((r) => r.client)).toEqual(Array(6).fill('entra'));
  });

  it('creates, patches with capitalised ops and "False", and deletes a user', async () => {
    const entra = scim(t, o, HEADERS);
    const userName = `Test_User_${randomUUID()}@contoso.example`;
    const email = `Test_User_${randomUUID()}@contoso.example`;
    await entra.get(`/Users?filter=${q(`userName eq "${userName}"`)}`).expect(200);
    const created = await entra.post('/Users', entraUser(userName, email)).expect(201);
    const id: string = created.body.id;

    const manager = (
      await entra
        .post('/Users', entraUser(`mgr-${unique()}@contoso.example`, `mgr-${unique()}@contoso.example`))
        .expect(201)
    ).body.id;
    const newEmail = `updated-${unique()}@contoso.example`;
    const patched = await entra
      .patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Replace', path: 'emails[type eq "work"].value', value: newEmail },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
          { op: 'Add', path: `${ENTERPRISE}:manager`, value: manager },
          { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Finance' },
          { op: 'Add', path: 'title', value: 'Accountant' },
          { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0100' },
          { op: 'Add', path: 'displayName', value: 'Updated Name' },
        ],
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      name: { familyName: 'updatedFamilyName', givenName: 'givenName' },
      displayName: 'Updated Name',
      emails: [{ type: 'work', value: newEmail, primary: true }],
      [ENTERPRISE]: { manager: { value: manager }, department: 'Finance' },
    });

    // Entra's older behaviour: booleans as strings.
    const off = await entra
      .patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] })
      .expect(200);
    expect(off.body.active).toBe(false);
    let view = await adminView(t, o);
    expect(view.members.find((m) => m.id === id)).toMatchObject({
      status: MemberStatus.REVOKED,
      email: newEmail,
      manager,
      department: 'Finance',
      familyName: 'updatedFamilyName',
    });
    const on = await entra
      .patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] })
      .expect(200);
    expect(on.body.active).toBe(true);

    // Lookup by the new values, then delete.
    const byEmail = await entra.get(`/Users?filter=${q(`emails[type eq "work"].value eq "${newEmail}"`)}`).expect(200);
    expect(byEmail.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
    await entra.delete(`/Users/${id}`).expect(204);
    await entra.get(`/Users/${id}`).expect(404);
    view = await adminView(t, o);
    expect(view.members.find((m) => m.id === id)).toBeUndefined();
  });

  it('manages groups: create, excludedAttributes=members, value-array adds and removes, rename', async () => {
    const entra = scim(t, o, HEADERS);
    const users: string[] = [];
    for (let i = 0; i < 3; i++) {
      users.push(
        (
          await entra
            .post('/Users', entraUser(`g${i}-${unique()}@contoso.example`, `g${i}-${unique()}@contoso.example`))
            .expect(201)
        ).body.id,
      );
    }
    const externalId = randomUUID();
    const group = await entra
      .post('/Groups', {
        schemas: [
          'urn:ietf:params:scim:schemas:core:2.0:Group',
          'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
        ],
        externalId,
        displayName: 'displayName',
        meta: { resourceType: 'Group' },
      })
      .expect(201);
    const gid: string = group.body.id;

    const found = await entra
      .get(`/Groups?excludedAttributes=members&filter=${q(`externalId eq "${externalId}"`)}`)
      .expect(200);
    expect(found.body.Resources).toHaveLength(1);
    expect(found.body.Resources[0]).not.toHaveProperty('members');

    await entra
      .patch(`/Groups/${gid}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Add', path: 'members', value: users.map((value) => ({ $ref: null, value })) }],
      })
      .expect(204);
    await entra
      .patch(`/Groups/${gid}`, {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'Remove',
            path: 'members',
            value: [
              { $ref: null, value: users[0] },
              { $ref: null, value: users[1] },
            ],
          },
        ],
      })
      .expect(204);
    await entra
      .patch(`/Groups/${gid}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', path: 'displayName', value: `${externalId}updatedDisplayName` }],
      })
      .expect(204);

    const single = await entra.get(`/Groups/${gid}?excludedAttributes=members`).expect(200);
    expect(single.body).not.toHaveProperty('members');
    expect(single.body.displayName).toBe(`${externalId}updatedDisplayName`);
    const full = await entra.get(`/Groups/${gid}`).expect(200);
    expect(full.body.members.map((m: { value: string }) => m.value)).toEqual([users[2]]);
    // Membership shows on the user too (read-only groups attribute).
    const user = await entra.get(`/Users/${users[2]}`).expect(200);
    expect(user.body.groups).toEqual([
      expect.objectContaining({ value: gid, display: `${externalId}updatedDisplayName` }),
    ]);

    const view = await adminView(t, o);
    expect(view.groups.find((g) => g.id === gid)).toMatchObject({
      externalId,
      members: [view.members.find((m) => m.id === users[2])!.userName],
    });
    expect(view.members.filter((m) => users.includes(m.id)).map((m) => m.groups.length)).toEqual([0, 0, 1]);

    await entra.delete(`/Groups/${gid}`).expect(204);
    await entra.get(`/Groups/${gid}`).expect(404);
  });

  it('round-trips title, phoneNumbers and the enterprise attributes of its default mapping', async () => {
    const entra = scim(t, o, HEADERS);
    const manager = (
      await entra
        .post('/Users', entraUser(`boss-${unique()}@contoso.example`, `boss-${unique()}@contoso.example`))
        .expect(201)
    ).body.id;
    const userName = `prof-${unique()}@contoso.example`;
    const costCenter = `CC-${unique()}`;
    const created = await entra
      .post('/Users', {
        ...entraUser(userName, userName),
        title: 'Tour Guide',
        phoneNumbers: [
          { type: 'work', value: '+1 425 555 0100' },
          { type: 'mobile', value: '+1 425 555 0101' },
        ],
        [ENTERPRISE]: {
          employeeNumber: '701984',
          department: 'Tour Operations',
          costCenter,
          organization: 'Contoso',
          manager: { value: manager },
        },
      })
      .expect(201);
    const id: string = created.body.id;
    expect(created.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      title: 'Tour Guide',
      phoneNumbers: [
        { type: 'work', value: '+1 425 555 0100' },
        { type: 'mobile', value: '+1 425 555 0101' },
      ],
      [ENTERPRISE]: {
        employeeNumber: '701984',
        department: 'Tour Operations',
        costCenter,
        organization: 'Contoso',
        manager: { value: manager },
      },
    });

    // attributes= selects the new attributes like any other
    const some = await entra
      .get(`/Users/${id}?attributes=title,phoneNumbers.value,${ENTERPRISE}:costCenter`)
      .expect(200);
    expect(some.body).toEqual({
      schemas: created.body.schemas,
      id,
      title: 'Tour Guide',
      phoneNumbers: [{ value: '+1 425 555 0100' }, { value: '+1 425 555 0101' }],
      [ENTERPRISE]: { costCenter },
      meta: created.body.meta,
    });

    // Entra's PATCH shapes: paths with value filters, URN-prefixed paths, a path-less replace with URN keys
    const patched = await entra
      .patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'Replace', path: 'title', value: 'Senior Tour Guide' },
          { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '+1 425 555 0199' },
          { op: 'Add', path: 'phoneNumbers[type eq "fax"].value', value: '+1 425 555 0150' },
          { op: 'Remove', path: 'phoneNumbers[type eq "mobile"]' },
          { op: 'Replace', path: `${ENTERPRISE}:organization`, value: 'Contoso Ltd' },
          {
            op: 'Replace',
            value: { [`${ENTERPRISE}:costCenter`]: `${costCenter}-2`, [`${ENTERPRISE}:department`]: 'Sales' },
          },
        ],
      })
      .expect(200);
    expect(patched.body).toMatchObject({
      title: 'Senior Tour Guide',
      phoneNumbers: [
        { type: 'work', value: '+1 425 555 0199' },
        { type: 'fax', value: '+1 425 555 0150' },
      ],
      [ENTERPRISE]: { organization: 'Contoso Ltd', costCenter: `${costCenter}-2`, department: 'Sales' },
    });

    // filters on the new attributes find it
    for (const filter of [
      `title eq "senior tour guide"`,
      'phoneNumbers.value eq "+1 425 555 0199"',
      'phoneNumbers[type eq "fax"].value sw "+1 425"',
      `${ENTERPRISE}:costCenter eq "${costCenter}-2"`,
      `organization eq "Contoso Ltd" and userName eq "${userName}"`,
    ]) {
      const found = await entra.get(`/Users?filter=${q(filter)}&attributes=userName`).expect(200);
      expect([filter, found.body.Resources.map((r: { id: string }) => r.id)]).toEqual([filter, [id]]);
    }
    await entra.get(`/Users?sortBy=title&filter=${q(`id eq "${id}"`)}`).expect(200);

    // the admin console reads them over GraphQL
    expect(await graphqlProfile(t, o, id)).toEqual({
      id,
      title: 'Senior Tour Guide',
      phoneNumbers: [
        { value: '+1 425 555 0199', type: 'work', primary: false },
        { value: '+1 425 555 0150', type: 'fax', primary: false },
      ],
      enterprise: {
        employeeNumber: '701984',
        department: 'Sales',
        organization: 'Contoso Ltd',
        costCenter: `${costCenter}-2`,
        managerId: manager,
      },
    });

    // PUT replaces: what the body leaves out is cleared
    const put = await entra.put(`/Users/${id}`, { ...entraUser(userName, userName), title: 'Guide' }).expect(200);
    expect(put.body.title).toBe('Guide');
    expect(put.body).not.toHaveProperty('phoneNumbers');
    expect(put.body).not.toHaveProperty(ENTERPRISE);
    expect(put.body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
  });
});
