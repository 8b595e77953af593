/**
 * "Select all N matching" for any N: memberIds hands the matching ids out a page at a time (a keyset, oldest first),
 * every page scoped to the organization, authorized like the list, and counting every match, not the page.
 */
import { MemberRole } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization } from '../helpers/factories';
import { codes, gql, ok, tokenFor } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const IDS = `query($id: ID!, $filter: MemberFilter, $limit: Int, $after: String) { organization(id: $id) {
  memberIds(filter: $filter, limit: $limit, after: $after) { ids totalCount hasNextPage endCursor } } }`;

interface IdPage {
  ids: string[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** `count` members of `status`, in one statement, as a large organization's would be stored. */
async function seed(orgId: string, count: number, status: string, prefix: string): Promise<void> {
  await t.orm.em.fork().execute(
    `insert into member (id, organization_id, email, user_name, role, permissions, status, source, role_source)
     select gen_random_uuid(), ?, ? || i || '@example.test', ? || i, 'USER', '{}'::jsonb, ?, 'INVITE', 'MANUAL'
       from generate_series(1, ?) i`,
    [orgId, prefix, prefix, status, count],
  );
}

const idsOf = async (orgId: string, status: string): Promise<string[]> =>
  (
    await t.orm.em
      .fork()
      .execute<{ id: string }[]>('select id from member where organization_id = ? and status = ?', [orgId, status])
  ).map((r) => r.id);

describe(`memberIds page by page (${engineName()})`, () => {
  it('selects all 25,000 matching members across pages of 10,000, the true count on every page', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    await seed(orgId, 25_000, 'INVITED', 'invited-');
    await seed(orgId, 50, 'REVOKED', 'revoked-');
    const other = await makeOrganization(t.services);
    await seed(other.orgId, 30, 'INVITED', 'elsewhere-');

    const filter = { statuses: ['INVITED'] };
    const pages: IdPage[] = [];
    let after: string | null = null;
    do {
      const page: IdPage = (await ok(t.app, ownerToken, IDS, { id: orgId, filter, after })).organization.memberIds;
      pages.push(page);
      after = page.hasNextPage ? page.endCursor : null;
    } while (after);

    expect(pages.map((p) => p.ids.length)).toEqual([10_000, 10_000, 5_000]);
    expect(pages.map((p) => p.totalCount)).toEqual([25_000, 25_000, 25_000]);
    expect(pages.map((p) => p.hasNextPage)).toEqual([true, true, false]);
    const selected = pages.flatMap((p) => p.ids);
    expect(new Set(selected).size).toBe(25_000);
    // Exactly the organization's INVITED members: no revoked one, none of the other organization's.
    expect(new Set(selected)).toEqual(new Set(await idsOf(orgId, 'INVITED')));
  });

  it('a page after members removed meanwhile goes on where the last one ended; a bad cursor is refused', async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    await seed(orgId, 250, 'INVITED', 'p-');
    const filter = { statuses: ['INVITED'] };
    const first: IdPage = (await ok(t.app, ownerToken, IDS, { id: orgId, filter, limit: 100 })).organization.memberIds;
    expect(first).toMatchObject({ totalCount: 250, hasNextPage: true, endCursor: expect.any(String) });

    // The first page's members go (as a bulk removal would take them) before the next page is read.
    await t.orm.em.fork().execute('delete from member where id = any(?::uuid[])', [`{${first.ids.join(',')}}`]);
    const rest: string[] = [];
    let after: string | null = first.endCursor;
    while (after) {
      const page: IdPage = (await ok(t.app, ownerToken, IDS, { id: orgId, filter, limit: 100, after })).organization
        .memberIds;
      expect(page.totalCount).toBe(150);
      rest.push(...page.ids);
      after = page.hasNextPage ? page.endCursor : null;
    }
    expect(new Set(rest)).toEqual(new Set(await idsOf(orgId, 'INVITED')));
    expect(rest).toHaveLength(150);

    // A cursor not made here (not one at all, or a well-formed one whose position is not a time) changes nothing.
    const forged = Buffer.from(JSON.stringify(['2026-01-01', first.ids[0]])).toString('base64url');
    for (const after of ['not-a-cursor', forged]) {
      const bad = await gql(t.app, ownerToken, IDS, { id: orgId, filter, after });
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    }
    const tooMany = await gql(t.app, ownerToken, IDS, { id: orgId, filter, limit: 10_001 });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });

  it("needs the list's permission, on every page, and never reads another organization's members", async () => {
    const { orgId, ownerToken } = await makeOrganization(t.services);
    await seed(orgId, 20, 'INVITED', 'q-');
    const user = await confirmedMember(t.services, orgId, MemberRole.USER as never);
    const userToken = await tokenFor(t.services, user.email);
    const owner = (await ok(t.app, ownerToken, IDS, { id: orgId, limit: 5 })).organization.memberIds;
    for (const after of [null, owner.endCursor]) {
      const denied = await gql(t.app, userToken, IDS, { id: orgId, after });
      expect(codes(denied)).toEqual(['FORBIDDEN']);
      expect(denied.body.data?.organization?.memberIds ?? null).toBeNull();
    }

    // Another organization's owner, with this organization's cursor, reads only its own members.
    const other = await makeOrganization(t.services);
    const theirs = (await ok(t.app, other.ownerToken, IDS, { id: other.orgId, after: owner.endCursor })).organization
      .memberIds;
    expect(theirs.ids).toEqual([other.ownerId]);
    expect(theirs.totalCount).toBe(1);
    const outside = await gql(t.app, other.ownerToken, IDS, { id: orgId });
    expect(codes(outside).length).toBeGreaterThan(0);
    expect(outside.body.data?.organization?.memberIds ?? null).toBeNull();
  });
});
