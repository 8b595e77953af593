/**
 * OneLogin's SCIM provisioner: its default SCIM JSON template still names the SCIM 1.1 schemas
 * (`urn:scim:schemas:core:1.0`, `urn:scim:schemas:extension:enterprise:1.0`), and its queries arrive
 * `+`-encoded (form encoding) with a trailing `&`.
 */
import { MemberStatus } from '../../../src/domain/enums';
import { type TestApp, createTestApp } from '../../helpers/app';
import { engineName } from '../../helpers/db';
import { unique } from '../../helpers/factories';
import { type ScimOrg, scim, scimOrg } from '../../helpers/scim';
import { ENTERPRISE, adminView, graphqlProfile } from '../support';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
});
afterAll(() => t.close());

const HEADERS = { 'User-Agent': 'OneLogin SCIM', 'Content-Type': 'application/scim+json' };
const LEGACY_CORE = 'urn:scim:schemas:core:1.0';
const LEGACY_ENTERPRISE = 'urn:scim:schemas:extension:enterprise:1.0';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** `filter=userName+eq+%22a%40b.c%22&` as OneLogin sends it (form encoding: `+` for spaces, trailing `&`). */
const formFilter = (filter: string) => `filter=${encodeURIComponent(filter).replace(/%20/g, '+')}&`;

const oneLoginUser = (email: string, first: string, last: string, department: string) => ({
  schemas: [LEGACY_CORE, LEGACY_ENTERPRISE],
  userName: email,
  name: { familyName: last, givenName: first },
  emails: [{ value: email }],
  [LEGACY_ENTERPRISE]: { department },
});

describe(`OneLogin (${engineName()})`, () => {
  it('provisions users from the SCIM 1.1 template and finds them with +-encoded filters', async () => {
    const ol = scim(t, o, HEADERS);
    const email = `jdoe-${unique()}@example.com`;
    const none = await ol.get(`/Users?${formFilter(`userName eq "${email}"`)}`).expect(200);
    expect(none.body.totalResults).toBe(0);

    const created = await ol.post('/Users', oneLoginUser(email, 'John', 'Doe', 'Sales')).expect(201);
    expect(created.body).toMatchObject({
      userName: email,
      name: { givenName: 'John', familyName: 'Doe' },
      emails: [{ value: email }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales' },
    });

    for (const filter of [
      `userName eq "${email}"`,
      `name.familyName eq "Doe" and userName sw "jdoe-"`,
      `${LEGACY_CORE}:userName eq "${email}"`,
      `${LEGACY_ENTERPRISE}:department eq "Sales" and userName eq "${email}"`,
    ]) {
      const found = await ol.get(`/Users?${formFilter(filter)}startIndex=1&count=100&`).expect(200);
      expect([filter, found.body.Resources.map((r: { id: string }) => r.id)]).toEqual([filter, [created.body.id]]);
    }

    // Updates are PUTs of the template; deactivation a PUT with active false.
    const updated = await ol
      .put(`/Users/${created.body.id}`, { ...oneLoginUser(email, 'Johnny', 'Doe', 'Marketing'), active: true })
      .expect(200);
    expect(updated.body.name.givenName).toBe('Johnny');
    await ol
      .put(`/Users/${created.body.id}`, { ...oneLoginUser(email, 'Johnny', 'Doe', 'Marketing'), active: false })
      .expect(200);
    const view = await adminView(t, o);
    expect(view.members.find((m) => m.id === created.body.id)).toMatchObject({
      status: MemberStatus.REVOKED,
      givenName: 'Johnny',
      department: 'Marketing',
    });
  });

  it('manages groups named with the legacy core URN', async () => {
    const ol = scim(t, o, HEADERS);
    const a = (await ol.post('/Users', oneLoginUser(`a-${unique()}@example.com`, 'A', 'One', 'Ops')).expect(201)).body;
    const b = (await ol.post('/Users', oneLoginUser(`b-${unique()}@example.com`, 'B', 'Two', 'Ops')).expect(201)).body;
    const name = `Sales ${unique()}`;
    expect((await ol.get(`/Groups?${formFilter(`displayName eq "${name}"`)}`).expect(200)).body.totalResults).toBe(0);
    const group = await ol
      .post('/Groups', { schemas: [LEGACY_CORE], displayName: name, members: [{ value: a.id, display: a.userName }] })
      .expect(201);
    await ol
      .patch(`/Groups/${group.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: [{ value: b.id }] }],
      })
      .expect(204);
    await ol
      .patch(`/Groups/${group.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: 'members', value: [{ value: a.id }] }],
      })
      .expect(204);
    await ol
      .patch(`/Groups/${group.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: `${LEGACY_CORE}:displayName`, value: `${name} (EMEA)` }],
      })
      .expect(204);

    const found = await ol.get(`/Groups?${formFilter(`displayName eq "${name} (EMEA)"`)}`).expect(200);
    expect(found.body.Resources.map((g: { id: string }) => g.id)).toEqual([group.body.id]);
    const view = await adminView(t, o);
    expect(view.groups.find((g) => g.id === group.body.id)).toMatchObject({
      displayName: `${name} (EMEA)`,
      members: [b.userName],
    });
    expect(view.members.find((m) => m.id === a.id)!.groups).toEqual([]);
  });

  it('maps title, phoneNumbers and the SCIM 1.1 enterprise attributes, and filters on them with legacy URNs', async () => {
    const ol = scim(t, o, HEADERS);
    const email = `ol-prof-${unique()}@example.com`;
    const created = await ol
      .post('/Users', {
        ...oneLoginUser(email, 'Olga', 'Login', 'Support'),
        title: 'Agent',
        phoneNumbers: [{ value: '+44 20 7946 0000', type: 'work', primary: true }],
        [LEGACY_ENTERPRISE]: { department: 'Support', costCenter: 'CC-OL', organization: 'OneLogin EMEA' },
      })
      .expect(201);
    const id: string = created.body.id;
    expect(created.body).toMatchObject({
      title: 'Agent',
      phoneNumbers: [{ value: '+44 20 7946 0000', type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'Support', costCenter: 'CC-OL', organization: 'OneLogin EMEA' },
    });
    const found = await ol.get(`/Users?${formFilter(`${LEGACY_ENTERPRISE}:costCenter eq "CC-OL"`)}`).expect(200);
    expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
    const byTitle = await ol.get(`/Users?${formFilter(`${LEGACY_CORE}:title eq "agent"`)}`).expect(200);
    expect(byTitle.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    await ol
      .patch(`/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'replace', path: `${LEGACY_ENTERPRISE}:organization`, value: 'OneLogin' },
          { op: 'replace', path: `${LEGACY_CORE}:title`, value: 'Lead' },
          { op: 'replace', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 7946 0001' },
        ],
      })
      .expect(200);
    const got = await ol.get(`/Users/${id}?attributes=title,phoneNumbers`).expect(200);
    expect(got.body).toMatchObject({
      title: 'Lead',
      phoneNumbers: [{ value: '+44 20 7946 0001', type: 'work', primary: true }],
    });
    expect(await graphqlProfile(t, o, id)).toMatchObject({
      title: 'Lead',
      enterprise: { organization: 'OneLogin', costCenter: 'CC-OL', department: 'Support' },
    });
  });
});
