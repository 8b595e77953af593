/**
 * Bounded work per SCIM request: lists in a write (emails of a user, member values of a group write) have a
 * length limit answered with 400 invalidValue naming it, and a group's members in a response are capped
 * (RFC 7644 has no paging inside an attribute). The cap is lowered here through SCIM_MEMBERS_PER_RESPONSE.
 */
import { randomUUID } from 'node:crypto';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { GROUP_SCHEMA, PATCH_SCHEMA, type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';
import { expectScimError, fingerprint } from './support';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp({
    SCIM_MEMBERS_PER_RESPONSE: '4',
    SCIM_RATE_LIMIT_PER_SECOND: '1000000',
    SCIM_RATE_LIMIT_BURST: '1000000',
  });
  o = await scimOrg(t);
});
afterAll(() => t.close());

const emails = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ value: `e${i}-${unique()}@example.test`, type: 'other' }));
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations });

function expectLimit(
  res: { status: number; body: { detail?: string } } & Parameters<typeof expectScimError>[0],
  limit: number,
) {
  expectScimError(res, 400, 'invalidValue');
  expect(res.body.detail).toContain(`the limit is ${limit}`);
}

describe(`SCIM list limits (${engineName()})`, () => {
  it('a user has at most 100 emails, through POST, PUT and PATCH alike; nothing is written over the limit', async () => {
    const user = (
      await scim(t, o)
        .post(
          '/Users',
          newUser(undefined, {
            emails: [{ value: `p-${unique()}@example.test`, type: 'work', primary: true }, ...emails(99)],
          }),
        )
        .expect(201)
    ).body;
    expect(user.emails).toHaveLength(100);
    const small = await scim(t, o).post('/Users', newUser()).expect(201);
    const before = await fingerprint(t);
    expectLimit(await scim(t, o).post('/Users', newUser(undefined, { emails: emails(101) })), 100);
    expectLimit(await scim(t, o).put(`/Users/${user.id}`, newUser(user.userName, { emails: emails(101) })), 100);
    expectLimit(
      await scim(t, o).patch(`/Users/${user.id}`, patch({ op: 'add', path: 'emails', value: emails(1) })),
      100,
    );
    // many small operations that add up
    expectLimit(
      await scim(t, o).patch(
        `/Users/${small.body.id}`,
        patch(...Array.from({ length: 30 }, () => ({ op: 'add', path: 'emails', value: emails(4) }))),
      ),
      100,
    );
    // a 1 MB body of e-mail entries is refused at once, not compared entry by entry (about half a second on an idle
    // machine; the bound leaves room for a loaded one)
    const started = Date.now();
    expectLimit(
      await scim(t, o).patch(`/Users/${small.body.id}`, patch({ op: 'add', path: 'emails', value: emails(15_000) })),
      100,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await fingerprint(t)).toBe(before);
  });

  it('a group write names at most 10,000 member values, over all its operations', async () => {
    const group = (
      await scim(t, o)
        .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `G ${unique()}`, members: [] })
        .expect(201)
    ).body;
    const ids = (n: number) => Array.from({ length: n }, () => ({ value: randomUUID() }));
    const before = await fingerprint(t);
    expectLimit(
      await scim(t, o).post('/Groups', { schemas: [GROUP_SCHEMA], displayName: `G ${unique()}`, members: ids(10_001) }),
      10_000,
    );
    expectLimit(
      await scim(t, o).put(`/Groups/${group.id}`, {
        schemas: [GROUP_SCHEMA],
        displayName: group.displayName,
        members: ids(10_001),
      }),
      10_000,
    );
    expectLimit(
      await scim(t, o).patch(`/Groups/${group.id}`, patch({ op: 'add', path: 'members', value: ids(10_001) })),
      10_000,
    );
    expectLimit(
      await scim(t, o).patch(
        `/Groups/${group.id}`,
        patch(
          ...Array.from({ length: 11 }, (_, i) => ({
            op: ['add', 'remove', 'replace'][i % 3],
            path: 'members',
            value: ids(1000),
          })),
        ),
      ),
      10_000,
    );
    expect(await fingerprint(t)).toBe(before);
  });

  it('a group in a response shows at most SCIM_MEMBERS_PER_RESPONSE members, shared out over a list page', async () => {
    const members: string[] = [];
    for (let i = 0; i < 6; i++) members.push((await scim(t, o).post('/Users', newUser()).expect(201)).body.id);
    const name = `Big ${unique()}`;
    const big = (
      await scim(t, o)
        .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: name, members: members.map((value) => ({ value })) })
        .expect(201)
    ).body;
    expect(big.members).toHaveLength(4); // the write's response too
    const read = (await scim(t, o).get(`/Groups/${big.id}`).expect(200)).body;
    expect(read.members.map((m: { value: string }) => m.value)).toEqual(members.slice(0, 4)); // oldest memberships first
    const second = (
      await scim(t, o)
        .post('/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: `${name} 2`,
          members: members.map((value) => ({ value })),
        })
        .expect(201)
    ).body;
    const list = (
      await scim(t, o)
        .get(`/Groups?filter=${encodeURIComponent(`displayName sw "${name}"`)}`)
        .expect(200)
    ).body;
    expect(list.Resources.map((g: { id: string; members: unknown[] }) => [g.id, g.members.length])).toEqual([
      [big.id, 2],
      [second.id, 2],
    ]);
    // the whole membership stays readable, paged, from the Users side
    const all = (
      await scim(t, o)
        .get(`/Users?filter=${encodeURIComponent(`groups.value eq "${big.id}"`)}&count=100`)
        .expect(200)
    ).body;
    expect(all.totalResults).toBe(6);
  });
});
