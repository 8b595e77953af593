/**
 * Okta's SCIM 2.0 provisioning (User-Agent "Okta SCIM Client"), with the request shapes of Okta's SCIM 2.0
 * reference: lookup by userName with startIndex/count, create with a password, profile updates as a PUT of the
 * whole resource read before (read-modify-write), deactivation as a path-less PATCH, and Group Push (create,
 * add members, rename with a path-less replace carrying the id, remove with `members[value eq "id"]`, delete).
 */
import { MemberStatus } from '../../../src/domain/enums';
import { Member } from '../../../src/entities';
import { type TestApp, createTestApp } from '../../helpers/app';
import { engineName } from '../../helpers/db';
import { unique } from '../../helpers/factories';
import { type ScimOrg, scim, scimOrg } from '../../helpers/scim';
import { ENTERPRISE, adminView, graphqlProfile, invitationsOf, q } from '../support';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
});
afterAll(() => t.close());

const HEADERS = {
  'User-Agent': 'Okta SCIM Client 1.0.0',
  Accept: 'application/scim+json',
  'Content-Type': 'application/scim+json; charset=utf-8',
};
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const oktaUser = (email: string, given: string, family: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: email,
  name: { givenName: given, familyName: family },
  emails: [{ primary: true, value: email, type: 'work' }],
  displayName: `${given} ${family}`,
  locale: 'en-US',
  externalId: `00u${unique()}${unique()}`,
  groups: [],
  password: 'Kv7J2LEa!x9',
  active: true,
});

describe(`Okta (${engineName()})`, () => {
  it('looks a user up, creates it with a password (never stored or returned), and round-trips a PUT unchanged', async () => {
    const okta = scim(t, o, HEADERS);
    const email = `test.user-${unique()}@okta.local`;
    const none = await okta.get(`/Users?filter=${q(`userName eq "${email}"`)}&startIndex=1&count=100`).expect(200);
    expect(none.body).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    const created = await okta.post('/Users', oktaUser(email, 'Test', 'User')).expect(201);
    expect(JSON.stringify(created.body)).not.toContain('Kv7J2LEa');
    const row = await t.orm.em.fork().findOneOrFail(Member, created.body.id);
    expect(JSON.stringify(row)).not.toContain('Kv7J2LEa');
    expect(await invitationsOf(t, created.body.id)).toBe(1);

    const found = await okta.get(`/Users?filter=${q(`userName eq "${email}"`)}&startIndex=1&count=100`).expect(200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0]).toEqual(created.body);

    // Read-modify-write with nothing modified: the same resource comes back, and nothing was written.
    const read = await okta.get(`/Users/${created.body.id}`).expect(200);
    const put = await okta.put(`/Users/${created.body.id}`, read.body).expect(200);
    expect(put.body).toEqual(read.body);
    expect(put.headers.etag).toBe(read.headers.etag);

    // A real profile change through the same PUT, with the password Okta sends on every PUT.
    const changed = {
      ...read.body,
      name: { ...read.body.name, familyName: 'Userson' },
      displayName: 'Test Userson',
      password: 'An0ther!pass',
    };
    const put2 = await okta.put(`/Users/${created.body.id}`, changed).expect(200);
    expect(put2.body).toMatchObject({
      name: { givenName: 'Test', familyName: 'Userson' },
      displayName: 'Test Userson',
    });
    expect(JSON.stringify(put2.body)).not.toContain('An0ther');
    const again = await okta.put(`/Users/${created.body.id}`, put2.body).expect(200);
    expect(again.body).toEqual(put2.body);

    // Deactivate and reactivate: Okta's path-less PATCH.
    const off = await okta
      .patch(`/Users/${created.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      })
      .expect(200);
    expect(off.body.active).toBe(false);
    expect((await adminView(t, o)).members.find((m) => m.id === created.body.id)!.status).toBe(MemberStatus.REVOKED);
    const on = await okta
      .patch(`/Users/${created.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: true } }],
      })
      .expect(200);
    expect(on.body.active).toBe(true);
  });

  it('pushes a group: create, add members, rename, remove with members[value eq "id"], delete', async () => {
    const okta = scim(t, o, HEADERS);
    const users: { id: string; userName: string }[] = [];
    for (const n of ['a', 'b', 'c']) {
      users.push(
        (await okta.post('/Users', oktaUser(`${n}-${unique()}@okta.local`, n.toUpperCase(), 'Pushed')).expect(201))
          .body,
      );
    }
    const lookup = await okta
      .get(`/Groups?filter=${q('displayName eq "Test SCIMv2"')}&startIndex=1&count=100`)
      .expect(200);
    expect(lookup.body.totalResults).toBe(0);
    const group = await okta
      .post('/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Test SCIMv2',
        members: [],
      })
      .expect(201);
    const gid: string = group.body.id;
    await okta
      .patch(`/Groups/${gid}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: users.map((u) => ({ value: u.id, display: u.userName })) }],
      })
      .expect(204);
    await okta
      .patch(`/Groups/${gid}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { id: gid, displayName: 'Test SCIMv2 renamed' } }],
      })
      .expect(204);
    await okta
      .patch(`/Groups/${gid}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: `members[value eq "${users[1].id}"]` }],
      })
      .expect(204);

    const got = await okta.get(`/Groups/${gid}`).expect(200);
    expect(got.body.displayName).toBe('Test SCIMv2 renamed');
    expect(got.body.members.map((m: { value: string }) => m.value).sort()).toEqual([users[0].id, users[2].id].sort());

    const view = await adminView(t, o);
    const pushed = view.groups.find((g) => g.id === gid)!;
    expect(pushed).toMatchObject({
      displayName: 'Test SCIMv2 renamed',
      members: [users[0].userName, users[2].userName].sort(),
    });
    expect(view.members.find((m) => m.id === users[1].id)!.groups).toEqual([]);
    expect(view.members.find((m) => m.id === users[0].id)!.groups).toEqual(['Test SCIMv2 renamed']);

    await okta.delete(`/Groups/${gid}`).expect(204);
    expect((await adminView(t, o)).groups.find((g) => g.id === gid)).toBeUndefined();
    // Deleting the group keeps its members.
    expect((await adminView(t, o)).members.filter((m) => users.some((u) => u.id === m.id))).toHaveLength(3);
  });

  it('pushes title, phone numbers and enterprise attributes, and round-trips them through its read-modify-write PUT', async () => {
    const okta = scim(t, o, HEADERS);
    const email = `okta-prof-${unique()}@example.com`;
    const created = await okta
      .post('/Users', {
        ...oktaUser(email, 'Pat', 'Doe'),
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        title: 'Engineer',
        phoneNumbers: [{ value: '+1 415 555 0100', type: 'mobile', primary: true }],
        [ENTERPRISE]: { employeeNumber: 'E-7', costCenter: 'R&D', organization: 'Okta Inc', department: 'Eng' },
      })
      .expect(201);
    const id: string = created.body.id;
    const filter = q(`${ENTERPRISE}:costCenter eq "r&d" and title eq "Engineer" and userName eq "${email}"`);
    const lookup = await okta.get(`/Users?filter=${filter}&startIndex=1&count=100`).expect(200);
    expect(lookup.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    // Okta reads the user, changes the profile, and PUTs the whole resource back
    const current = (await okta.get(`/Users/${id}`).expect(200)).body;
    expect(current).toMatchObject({
      title: 'Engineer',
      phoneNumbers: [{ value: '+1 415 555 0100', type: 'mobile', primary: true }],
      [ENTERPRISE]: { employeeNumber: 'E-7', costCenter: 'R&D', organization: 'Okta Inc', department: 'Eng' },
    });
    const unchanged = await okta.put(`/Users/${id}`, current).expect(200);
    expect(unchanged.body.meta.version).toBe(current.meta.version);
    const put = await okta
      .put(`/Users/${id}`, {
        ...current,
        title: 'Staff Engineer',
        phoneNumbers: [...current.phoneNumbers, { value: '+1 415 555 0199', type: 'work' }],
        [ENTERPRISE]: { ...current[ENTERPRISE], costCenter: 'Platform' },
      })
      .expect(200);
    expect(put.body).toMatchObject({
      title: 'Staff Engineer',
      phoneNumbers: [
        { value: '+1 415 555 0100', type: 'mobile', primary: true },
        { value: '+1 415 555 0199', type: 'work' },
      ],
      [ENTERPRISE]: { costCenter: 'Platform', organization: 'Okta Inc' },
    });
    const byPhone = await okta.get(`/Users?filter=${q('phoneNumbers[type eq "work"].value eq "+1 415 555 0199"')}`);
    expect(byPhone.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    // a path-less replace (how Okta sends partial profile updates with PATCH)
    const patched = await okta
      .patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { title: 'Principal' } }] })
      .expect(200);
    expect(patched.body.title).toBe('Principal');
    const projected = await okta.get(`/Users/${id}?excludedAttributes=phoneNumbers,${ENTERPRISE}`).expect(200);
    expect(projected.body).not.toHaveProperty('phoneNumbers');
    expect(projected.body).not.toHaveProperty(ENTERPRISE);
    expect(projected.body.title).toBe('Principal');
    expect(await graphqlProfile(t, o, id)).toMatchObject({
      title: 'Principal',
      phoneNumbers: [
        { value: '+1 415 555 0100', type: 'mobile', primary: true },
        { value: '+1 415 555 0199', type: 'work', primary: false },
      ],
      enterprise: { costCenter: 'Platform', organization: 'Okta Inc', employeeNumber: 'E-7', department: 'Eng' },
    });
  });
});
