/**
 * Enterprise `division` (TestPlanIt and Entra send it), the attribute added by one field entry, one registry entry
 * and one migration: it round-trips over SCIM (POST, GET, filter, sortBy, PATCH with and without a path, PUT) and
 * shows in GraphQL as `enterprise.division`.
 */
import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { PATCH_SCHEMA, type ScimOrg, USER_SCHEMA, newUser, scim, scimOrg } from '../helpers/scim';
import { ENTERPRISE, expectScimError, q } from './support';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
});
afterAll(() => t.close());

const DIVISION = `${ENTERPRISE}:division`;

const withDivision = (division: string, extra: Record<string, unknown> = {}) =>
  newUser(undefined, { schemas: [USER_SCHEMA, ENTERPRISE], [ENTERPRISE]: { division }, ...extra });

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations });

/** `enterprise.division` of one member as the organization's owner reads it over GraphQL. */
async function graphqlDivision(memberId: string): Promise<string | null> {
  const res = await request(t.app)
    .post('/graphql')
    .set('Authorization', `Bearer ${o.ownerToken}`)
    .send({
      query: 'query($org: ID!, $id: ID!) { organization(id: $org) { member(id: $id) { enterprise { division } } } }',
      variables: { org: o.orgId, id: memberId },
    })
    .expect(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.organization.member.enterprise.division;
}

describe(`SCIM enterprise division (${engineName()})`, () => {
  it('is stored on POST, returned on GET and shown by GraphQL', async () => {
    const created = await scim(t, o).post('/Users', withDivision('Theme Park')).expect(201);
    expect(created.body.schemas).toContain(ENTERPRISE);
    expect(created.body[ENTERPRISE]).toEqual({ division: 'Theme Park' });

    const read = await scim(t, o).get(`/Users/${created.body.id}`).expect(200);
    expect(read.body[ENTERPRISE]).toEqual({ division: 'Theme Park' });
    expect(await graphqlDivision(created.body.id)).toBe('Theme Park');
  });

  it('filters (case-insensitively, like the other enterprise strings) and sorts', async () => {
    const division = `Div ${unique()}`;
    const a = await scim(t, o)
      .post('/Users', withDivision(`${division} B`))
      .expect(201);
    const b = await scim(t, o)
      .post('/Users', withDivision(`${division} A`))
      .expect(201);
    await scim(t, o).post('/Users', withDivision('Elsewhere')).expect(201);

    const exact = await scim(t, o)
      .get(`/Users?filter=${q(`${DIVISION} eq "${division.toUpperCase()} B"`)}`)
      .expect(200);
    expect(exact.body.Resources.map((r: { id: string }) => r.id)).toEqual([a.body.id]);

    const sorted = await scim(t, o)
      .get(`/Users?filter=${q(`division sw "${division}"`)}&sortBy=${q(DIVISION)}`)
      .expect(200);
    expect(sorted.body.Resources.map((r: { id: string }) => r.id)).toEqual([b.body.id, a.body.id]);

    const absent = await scim(t, o)
      .get(`/Users?filter=${q(`${DIVISION} pr and id eq "${o.ownerMemberId}"`)}`)
      .expect(200);
    expect(absent.body.totalResults).toBe(0);
  });

  it('is replaced and removed by PATCH with a path, and set by PATCH without one', async () => {
    const created = await scim(t, o).post('/Users', newUser()).expect(201);
    const url = `/Users/${created.body.id}`;
    expect(created.body[ENTERPRISE]).toBeUndefined();

    const replaced = await scim(t, o)
      .patch(url, patch({ op: 'Replace', path: DIVISION, value: 'Research' }))
      .expect(200);
    expect(replaced.body[ENTERPRISE]).toEqual({ division: 'Research' });
    expect(await graphqlDivision(created.body.id)).toBe('Research');

    // Entra: a value object keyed by the URN-qualified name; Okta: the extension object under its URN
    const flat = await scim(t, o)
      .patch(url, patch({ op: 'replace', value: { [DIVISION]: 'Sales' } }))
      .expect(200);
    expect(flat.body[ENTERPRISE]).toEqual({ division: 'Sales' });
    const nested = await scim(t, o)
      .patch(url, patch({ op: 'add', value: { [ENTERPRISE]: { division: 'Support' } } }))
      .expect(200);
    expect(nested.body[ENTERPRISE]).toEqual({ division: 'Support' });

    const removed = await scim(t, o)
      .patch(url, patch({ op: 'remove', path: DIVISION }))
      .expect(200);
    expect(removed.body[ENTERPRISE]).toBeUndefined();
    expect(await graphqlDivision(created.body.id)).toBeNull();
  });

  it('is replaced by PUT, and bounded by its column like the other enterprise strings', async () => {
    const body = withDivision('Old');
    const created = await scim(t, o).post('/Users', body).expect(201);
    const put = await scim(t, o)
      .put(`/Users/${created.body.id}`, { ...body, [ENTERPRISE]: { division: 'New' } })
      .expect(200);
    expect(put.body[ENTERPRISE]).toEqual({ division: 'New' });

    const long = await scim(t, o)
      .patch(`/Users/${created.body.id}`, patch({ op: 'replace', path: DIVISION, value: 'x'.repeat(201) }))
      .expect(400);
    expectScimError(long, 400, 'invalidValue');
    expect((await scim(t, o).get(`/Users/${created.body.id}`).expect(200)).body[ENTERPRISE]).toEqual({
      division: 'New',
    });
  });

  it('is listed by /Schemas as a readWrite string of the enterprise extension', async () => {
    const res = await scim(t, o).get(`/Schemas/${ENTERPRISE}`).expect(200);
    expect(res.body.attributes).toContainEqual(
      expect.objectContaining({ name: 'division', type: 'string', mutability: 'readWrite', multiValued: false }),
    );
  });
});
