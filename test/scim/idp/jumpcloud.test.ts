/**
 * JumpCloud's Custom SCIM Identity Management connector (SCIM 2.0), with the request shapes it sends.
 *
 * "Activate" runs a self-test before anything else: it looks the admin's test user up by userName, creates it,
 * updates it with a full PUT, deactivates it, creates a test group, adds the user to it (value array), adds it
 * again (JumpCloud repeats adds), renames the group with a path-less replace, removes the user with a value array,
 * and deletes the group and the user. Then it provisions the bound users and pushes the bound groups.
 */
import { MemberStatus } from '../../../src/domain/enums';
import { type TestApp, createTestApp } from '../../helpers/app';
import { engineName } from '../../helpers/db';
import { unique } from '../../helpers/factories';
import { type ScimOrg, scim, scimOrg } from '../../helpers/scim';
import { ENTERPRISE, adminView, invitationsOf, q } from '../support';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
});
afterAll(() => t.close());

const HEADERS = { 'User-Agent': 'JumpCloud-SCIM/2.0', 'Content-Type': 'application/scim+json' };
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const objectId = () => `${unique()}${unique()}${unique()}`; // JumpCloud ids are 24-hex Mongo ObjectIds

/** A user the way JumpCloud's default attribute mapping sends it (empty strings for unset attributes). */
function jumpCloudUser(email: string, given: string, family: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    externalId: objectId(),
    userName: email,
    displayName: `${given} ${family}`,
    name: { givenName: given, familyName: family, formatted: `${given} ${family}` },
    emails: [{ value: email, type: 'work', primary: true }],
    active: true,
    title: '',
    phoneNumbers: [{ value: '', type: 'work' }],
    addresses: [{ type: 'work', streetAddress: '', locality: '', region: '', postalCode: '', country: '' }],
    [ENTERPRISE]: {
      employeeNumber: '',
      department: '',
      costCenter: '',
      organization: '',
      division: '',
      manager: { value: '' },
    },
    ...extra,
  };
}

describe(`JumpCloud (${engineName()})`, () => {
  it('passes the activation self-test: test user and test group created, updated, deactivated, deleted', async () => {
    const jc = scim(t, o, HEADERS);
    const testEmail = `jc-test-${unique()}@example.com`;

    const lookup = await jc.get(`/Users?filter=${q(`userName eq "${testEmail}"`)}`).expect(200);
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await jc.post('/Users', jumpCloudUser(testEmail, 'JumpCloud', 'Test')).expect(201);
    const userId: string = created.body.id;
    expect(created.body).toMatchObject({
      userName: testEmail,
      active: true,
      name: { givenName: 'JumpCloud', familyName: 'Test' },
    });
    expect(created.body[ENTERPRISE]).toBeUndefined(); // only empty strings were sent: nothing to store

    const found = await jc.get(`/Users?filter=${q(`userName eq "${testEmail}"`)}`).expect(200);
    expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([userId]);

    const updatedBody = {
      ...jumpCloudUser(testEmail, 'JumpCloud', 'Tested'),
      id: userId,
      externalId: created.body.externalId,
    };
    const updated = await jc.put(`/Users/${userId}`, updatedBody).expect(200);
    expect(updated.body.name.familyName).toBe('Tested');

    const deactivated = await jc.put(`/Users/${userId}`, { ...updatedBody, active: false }).expect(200);
    expect(deactivated.body.active).toBe(false);

    const group = await jc
      .post('/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: `JumpCloud Test Group ${unique()}`,
        members: [],
      })
      .expect(201);
    const groupId: string = group.body.id;
    const add = { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] };
    await jc.patch(`/Groups/${groupId}`, add).expect(204);
    await jc.patch(`/Groups/${groupId}`, add).expect(204); // repeated add: idempotent
    await jc
      .patch(`/Groups/${groupId}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { id: groupId, displayName: 'JumpCloud Test Group (renamed)' } }],
      })
      .expect(204);
    const withMember = await jc.get(`/Groups/${groupId}`).expect(200);
    expect(withMember.body).toMatchObject({
      displayName: 'JumpCloud Test Group (renamed)',
      members: [{ value: userId }],
    });
    await jc
      .patch(`/Groups/${groupId}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: 'members', value: [{ value: userId }] }],
      })
      .expect(204);
    expect((await jc.get(`/Groups/${groupId}`).expect(200)).body.members).toEqual([]);

    await jc.delete(`/Groups/${groupId}`).expect(204);
    await jc.get(`/Groups/${groupId}`).expect(404);
    await jc.delete(`/Users/${userId}`).expect(204);
    await jc.get(`/Users/${userId}`).expect(404);

    // Nothing of the self-test is left in the organization.
    const view = await adminView(t, o);
    expect(view.members.map((m) => m.userName)).not.toContain(testEmail);
    expect(view.groups).toEqual([]);
  });

  it('provisions bound users, pushes groups with value-array adds and removes, deactivates and deletes', async () => {
    const jc = scim(t, o, HEADERS);
    const people = ['ada', 'grace', 'alan', 'edsger'].map((n) => ({ name: n, email: `${n}-${unique()}@example.com` }));
    const ids: Record<string, string> = {};
    for (const p of people) {
      await jc.get(`/Users?filter=${q(`userName eq "${p.email}"`)}`).expect(200);
      const res = await jc
        .post(
          '/Users',
          jumpCloudUser(p.email, p.name, 'Doe', { [ENTERPRISE]: { department: 'R&D', manager: { value: '' } } }),
        )
        .expect(201);
      ids[p.name] = res.body.id;
      expect(await invitationsOf(t, res.body.id)).toBe(1);
    }
    // A second POST of the same user (JumpCloud retries after a timeout) is a 409 the connector understands.
    const dup = await jc.post('/Users', jumpCloudUser(people[0].email, 'ada', 'Doe')).expect(409);
    expect(dup.body.scimType).toBe('uniqueness');

    const eng = await jc
      .post('/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Engineering',
        members: [],
      })
      .expect(201);
    await jc
      .post('/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Operations',
        members: [{ value: ids.alan }],
      })
      .expect(201);
    const addAll = {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: ids.ada }, { value: ids.grace }, { value: ids.alan }] },
      ],
    };
    await jc.patch(`/Groups/${eng.body.id}`, addAll).expect(204);
    await jc.patch(`/Groups/${eng.body.id}`, addAll).expect(204);
    await jc
      .patch(`/Groups/${eng.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: [{ value: ids.edsger }, { value: ids.ada }] }],
      })
      .expect(204);
    await jc
      .patch(`/Groups/${eng.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: 'members', value: [{ value: ids.alan }, { value: ids.grace }] }],
      })
      .expect(204);
    // An id of another organization is skipped (never added, named in the provisioning log); the rest applies.
    const other = await scimOrg(t);
    const stranger = await scim(t, other, HEADERS)
      .post('/Users', jumpCloudUser(`x-${unique()}@example.com`, 'x', 'y'))
      .expect(201);
    await jc
      .patch(`/Groups/${eng.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: [{ value: ids.grace }, { value: stranger.body.id }] }],
      })
      .expect(204);
    await jc
      .patch(`/Groups/${eng.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'remove', path: 'members', value: [{ value: ids.grace }] }],
      })
      .expect(204);

    // Unbinding a user deactivates it with a PUT active=false; removing it from JumpCloud deletes it.
    const grace = (await jc.get(`/Users/${ids.grace}`).expect(200)).body;
    await jc.put(`/Users/${ids.grace}`, { ...grace, active: false }).expect(200);
    await jc.delete(`/Users/${ids.edsger}`).expect(204);

    const view = await adminView(t, o);
    const byName = (n: string) => view.members.find((m) => m.id === ids[n]);
    expect(byName('ada')).toMatchObject({ status: MemberStatus.INVITED, department: 'R&D', groups: ['Engineering'] });
    expect(byName('alan')).toMatchObject({ status: MemberStatus.INVITED, groups: ['Operations'] });
    expect(byName('grace')).toMatchObject({ status: MemberStatus.REVOKED, groups: [] });
    expect(byName('edsger')).toBeUndefined();
    expect(view.groups.map((g) => [g.displayName, g.members.length])).toEqual([
      ['Engineering', 1],
      ['Operations', 1],
    ]);
    expect(view.groups.find((g) => g.displayName === 'Engineering')!.members).toEqual([people[0].email]);

    // Re-binding restores the member to where it was (INVITED), as the admin console's "restore" does.
    await jc.put(`/Users/${ids.grace}`, { ...grace, active: true }).expect(200);
    expect((await adminView(t, o)).members.find((m) => m.id === ids.grace)!.status).toBe(MemberStatus.INVITED);
  });

  it('provisions STAGED members without an e-mail when the organization was enabled with --staged', async () => {
    const staged = await scimOrg(t, { staged: true });
    const jc = scim(t, staged, HEADERS);
    const email = `staged-${unique()}@example.com`;
    const res = await jc.post('/Users', jumpCloudUser(email, 'Stan', 'Ged')).expect(201);
    expect(res.body.active).toBe(true);
    expect(await invitationsOf(t, res.body.id)).toBe(0);
    const view = await adminView(t, staged);
    expect(view.members.find((m) => m.id === res.body.id)!.status).toBe(MemberStatus.STAGED);
  });
});
