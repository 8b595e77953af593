import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { GROUP_SCHEMA, PATCH_SCHEMA, newUser, scim, scimOrg } from '../helpers/scim';
import { provisioningLog } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const UNKNOWN = '7d1a1f0e-5b8c-4c52-9b61-2f3f0f6f0a11';

const memberIds = async (client: ReturnType<typeof scim>, groupId: string) =>
  ((await client.get(`/Groups/${groupId}`).expect(200)).body.members ?? [])
    .map((m: { value: string }) => m.value)
    .sort();

describe(`IdP-safe defaults (${engineName()})`, () => {
  it('leaves a revoked member revoked when a PUT omits active, and applies active when it is sent', async () => {
    const o = await scimOrg(t);
    const client = scim(t, o);
    const created = (await client.post('/Users', newUser()).expect(201)).body;
    await client.put(`/Users/${created.id}`, { ...created, active: false }).expect(200);

    // The IdP updates a suspended user's name without `active`: access stays revoked.
    const { active: _omitted, ...withoutActive } = created;
    const renamed = await client
      .put(`/Users/${created.id}`, { ...withoutActive, name: { givenName: 'Renamed', familyName: 'Person' } })
      .expect(200);
    expect(renamed.body).toMatchObject({ active: false, name: { givenName: 'Renamed' } });
    expect((await client.get(`/Users/${created.id}`).expect(200)).body.active).toBe(false);
    // `"active": null` is no value either (RFC 7643 §2.5).
    expect((await client.put(`/Users/${created.id}`, { ...withoutActive, active: null }).expect(200)).body.active).toBe(
      false,
    );

    // Sent explicitly, it still applies (also URN-prefixed and as a string, as some IdPs send it).
    expect(
      (
        await client
          .put(`/Users/${created.id}`, {
            ...withoutActive,
            'urn:ietf:params:scim:schemas:core:2.0:User:active': 'True',
          })
          .expect(200)
      ).body.active,
    ).toBe(true);
    expect(
      (await client.put(`/Users/${created.id}`, { ...withoutActive, active: false }).expect(200)).body.active,
    ).toBe(false);
  });

  it("skips group member ids that match no member of the organization, logs them, and never adds another organization's member", async () => {
    const o = await scimOrg(t);
    const other = await scimOrg(t);
    const client = scim(t, o);
    const [a, b] = await Promise.all([
      client.post('/Users', newUser()).expect(201),
      client.post('/Users', newUser()).expect(201),
    ]).then((r) => r.map((x) => x.body.id as string));
    const stranger = (
      await scim(t, other)
        .post('/Users', newUser(`stranger-${unique()}@example.test`))
        .expect(201)
    ).body.id as string;

    // POST with a foreign id: created with the known member.
    const group = await client
      .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Eng', members: [{ value: a }, { value: stranger }] })
      .expect(201);
    expect(await memberIds(client, group.body.id)).toEqual([a]);

    // PATCH add: the known id is added, the unknown and the foreign ones are skipped; 204 as for any PATCH.
    await client
      .patch(`/Groups/${group.body.id}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [
          {
            op: 'add',
            path: 'members',
            value: [{ value: b }, { value: UNKNOWN }, { value: stranger }, { value: 'not-a-uuid' }],
          },
        ],
      })
      .expect(204);
    expect(await memberIds(client, group.body.id)).toEqual([a, b].sort());

    // PATCH replace and PUT: the set becomes the known ids only.
    await client
      .patch(`/Groups/${group.body.id}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'members', value: [{ value: b }, { value: stranger }] }],
      })
      .expect(204);
    expect(await memberIds(client, group.body.id)).toEqual([b]);
    const put = await client
      .put(`/Groups/${group.body.id}`, {
        schemas: [GROUP_SCHEMA],
        displayName: 'Eng',
        members: [{ value: a }, { value: UNKNOWN }],
      })
      .expect(200);
    expect(put.body.members.map((m: { value: string }) => m.value)).toEqual([a]);

    // The other organization's member is in no group of this organization, and its own organization is untouched.
    const inGroups = await scim(t, other).get(`/Users/${stranger}`).expect(200);
    expect(inGroups.body.groups ?? []).toEqual([]);

    // The provisioning log names what was skipped, so the admin sees why someone is missing.
    await t.services.scimRequestLog.flush();
    const log = await provisioningLog(t, o.orgId, 8);
    const groupWrites = log
      .filter((r) => r.path.includes('/Groups') && r.method !== 'GET')
      .map((r) => [r.method, r.status, r.summary]);
    expect(groupWrites).toEqual([
      [
        'PUT',
        200,
        expect.stringContaining(`skipped 1 member ids that match no member of this organization: ${UNKNOWN}`),
      ],
      [
        'PATCH',
        204,
        expect.stringContaining(`skipped 1 member ids that match no member of this organization: ${stranger}`),
      ],
      ['PATCH', 204, expect.stringMatching(new RegExp(`skipped 3 member ids .*${UNKNOWN}, ${stranger}, not-a-uuid`))],
      [
        'POST',
        201,
        expect.stringContaining(`skipped 1 member ids that match no member of this organization: ${stranger}`),
      ],
    ]);
  });
});
