/**
 * Ping Identity (PingFederate / PingOne outbound provisioning): filter operators in mixed case (`Eq`, `Co`, `Sw`,
 * `And`), creation with POST, changes with PUT, group membership with PATCH.
 */
import { MemberStatus } from '../../../src/domain/enums';
import { type TestApp, createTestApp } from '../../helpers/app';
import { engineName } from '../../helpers/db';
import { unique } from '../../helpers/factories';
import { type ScimOrg, scim, scimOrg } from '../../helpers/scim';
import { adminView, q } from '../support';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
});
afterAll(() => t.close());

const HEADERS = { 'User-Agent': 'PingFederate/11.3', 'Content-Type': 'application/scim+json' };
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const pingUser = (email: string, display: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: email,
  displayName: display,
  name: { givenName: display.split(' ')[0], familyName: display.split(' ')[1] },
  emails: [{ value: email, type: 'work', primary: true }],
  active: true,
});

describe(`Ping (${engineName()})`, () => {
  it('finds users and groups with Eq / Co / Sw filters and keeps memberships', async () => {
    const ping = scim(t, o, HEADERS);
    const tag = unique();
    const alice = (await ping.post('/Users', pingUser(`alice-${tag}@example.com`, `Alice Ab${tag}`)).expect(201)).body;
    const bob = (await ping.post('/Users', pingUser(`bob-${tag}@example.com`, `Bob Ab${tag}`)).expect(201)).body;
    await ping.post('/Users', pingUser(`carol-${tag}@example.com`, 'Carol Other')).expect(201);

    const ids = async (path: string) =>
      (await ping.get(path).expect(200)).body.Resources.map((r: { id: string }) => r.id).sort();
    expect(await ids(`/Users?filter=${q(`userName Eq "ALICE-${tag}@example.com"`)}`)).toEqual([alice.id]);
    expect(await ids(`/Users?filter=${q(`displayName Co "ab${tag}"`)}`)).toEqual([alice.id, bob.id].sort());
    expect(await ids(`/Users?filter=${q(`userName Sw "bob-" And displayName Co "${tag}"`)}`)).toEqual([bob.id]);
    expect(
      await ids(`/Users?filter=${q(`emails.value Co "-${tag}@" AND NOT (userName Eq "alice-${tag}@example.com")`)}`),
    ).toHaveLength(2);

    const group = (
      await ping
        .post('/Groups', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName: `Ping ${tag}`,
          members: [],
        })
        .expect(201)
    ).body;
    expect(await ids(`/Groups?filter=${q(`displayName Eq "ping ${tag}"`)}`)).toEqual([group.id]);
    await ping
      .patch(`/Groups/${group.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Add', path: 'members', value: [{ value: alice.id }, { value: bob.id }] }],
      })
      .expect(204);
    expect(await ids(`/Groups?filter=${q(`members Eq "${bob.id}"`)}`)).toEqual([group.id]);
    expect(await ids(`/Users?filter=${q(`groups.value Eq "${group.id}"`)}`)).toEqual([alice.id, bob.id].sort());

    // Ping changes users with a full PUT; active false revokes.
    await ping.put(`/Users/${bob.id}`, { ...pingUser(bob.userName, `Bob Ab${tag}`), active: false }).expect(200);
    expect(await ids(`/Users?filter=${q(`active Eq false and displayName Co "${tag}"`)}`)).toEqual([bob.id]);

    const view = await adminView(t, o);
    expect(view.members.find((m) => m.id === bob.id)).toMatchObject({
      status: MemberStatus.REVOKED,
      groups: [`Ping ${tag}`],
    });
    expect(view.members.find((m) => m.id === alice.id)).toMatchObject({
      status: MemberStatus.INVITED,
      groups: [`Ping ${tag}`],
    });
    expect(view.groups.find((g) => g.id === group.id)!.members).toEqual([alice.userName, bob.userName].sort());
  });
});
