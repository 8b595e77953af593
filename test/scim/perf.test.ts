/**
 * Adding 1,000 members to a group of 10,000 in one PATCH touches only the new rows, with a
 * statement count independent of the group's size, and returns within a second on PostgreSQL.
 *
 * The 11,000 members are seeded with one `insert ... select from generate_series` (provisioning them one by one
 * through the API would take minutes); the PATCHes go through the real HTTP app.
 */
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName, testPostgresUrl } from '../helpers/db';
import { unique } from '../helpers/factories';
import { PATCH_SCHEMA, type ScimOrg, scim, scimOrg } from '../helpers/scim';

let t: TestApp;
let o: ScimOrg;
let ids: string[]; // the seeded members, in creation order
beforeAll(async () => {
  t = await createTestApp();
  o = await scimOrg(t);
  const tag = unique();
  const conn = t.orm.em.getConnection();
  await conn.execute(
    `insert into member (id, organization_id, email, user_name, permissions, role, status, source, created_at, updated_at)
     select gen_random_uuid(), ?, 'p' || g || '-${tag}@example.test', 'p' || g || '-${tag}@example.test', '{}'::jsonb,
            'USER', 'INVITED', 'SCIM', now() + g * interval '1 millisecond', now()
     from generate_series(1, 11000) g`,
    [o.orgId],
  );
  const rows: { id: string }[] = await conn.execute(
    `select id from member where organization_id = ? and email like 'p%-${tag}@example.test' order by created_at`,
    [o.orgId],
  );
  ids = rows.map((r) => r.id);
}, 120_000);
afterAll(() => t.close());

/** A group holding `members` (links inserted in SQL), created through SCIM. */
async function groupWith(members: string[]): Promise<string> {
  const res = await scim(t, o)
    .post('/Groups', { displayName: `Perf ${unique()}`, members: [] })
    .expect(201);
  await t.orm.em
    .getConnection()
    .execute('insert into group_membership (group_id, member_id) select ?, unnest(?::uuid[])', [
      res.body.id,
      `{${members.join(',')}}`,
    ]);
  return res.body.id;
}

/** The data statements one piece of work sends: transaction control and the request log / key bookkeeping aside. */
async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const knex = t.orm.em.getConnection().getKnex();
  const statements: string[] = [];
  const onQuery = (q: { sql: string }) => {
    const sql = q.sql.trim();
    if (
      /^(begin|commit|rollback|savepoint|release)/i.test(sql) ||
      /scim_request_log|api_key|synchronous_commit/i.test(sql)
    )
      return;
    statements.push(sql);
  };
  knex.on('query', onQuery);
  try {
    return { result: await work(), statements };
  } finally {
    knex.off('query', onQuery);
  }
}

const addPatch = (memberIds: string[]) => ({
  schemas: [PATCH_SCHEMA],
  Operations: [{ op: 'add', path: 'members', value: memberIds.map((value) => ({ value })) }],
});

describe(`group PATCH cost (${engineName()})`, () => {
  it('adds 1,000 members with the same statements to a group of 100 as to a group of 10,000', async () => {
    const small = await groupWith(ids.slice(0, 100));
    const large = await groupWith(ids.slice(0, 10_000));
    await scim(t, o).get('/ServiceProviderConfig').expect(200); // warm up: key lookup, last-used stamp

    const a = await statementsOf(() =>
      scim(t, o)
        .patch(`/Groups/${small}`, addPatch(ids.slice(100, 1100)))
        .expect(204),
    );
    const startedAt = await t.orm.em.getConnection().execute<{ now: Date }[]>('select clock_timestamp() as now');
    const started = Date.now();
    const b = await statementsOf(() =>
      scim(t, o)
        .patch(`/Groups/${large}`, addPatch(ids.slice(10_000, 11_000)))
        .expect(204),
    );
    const elapsed = Date.now() - started;
    console.log(
      `[perf ${engineName()}] PATCH add 1,000 to a group of 10,000: ${elapsed} ms, ${b.statements.length} statements`,
    );

    expect(b.statements.length).toBe(a.statements.length);
    expect(b.statements.length).toBeLessThanOrEqual(12);
    // No statement reads or writes the group's existing members one by one, and none is repeated per member.
    expect(new Set(b.statements).size).toBe(b.statements.length);

    const conn = t.orm.em.getConnection();
    const [counts] = await conn.execute<{ total: string; fresh: string }[]>(
      'select count(*)::text as total, count(*) filter (where created_at >= ?)::text as fresh from group_membership where group_id = ?',
      [startedAt[0].now, large],
    );
    expect(counts).toEqual({ total: '11000', fresh: '1000' }); // only the new rows were written
    const [smallCount] = await conn.execute<{ n: string }[]>(
      'select count(*)::text as n from group_membership where group_id = ?',
      [small],
    );
    expect(smallCount.n).toBe('1100');

    if (testPostgresUrl()) expect(elapsed).toBeLessThan(1000);
  }, 120_000);

  it('is idempotent for members already in the group and caps a list at 1,000 resources', async () => {
    const group = await groupWith(ids.slice(0, 10_000));
    const before = await scim(t, o).get(`/Groups/${group}?excludedAttributes=members`).expect(200);
    await scim(t, o)
      .patch(`/Groups/${group}`, addPatch(ids.slice(9_000, 10_000)))
      .expect(204);
    const [row] = await t.orm.em
      .getConnection()
      .execute<{ n: string }[]>('select count(*)::text as n from group_membership where group_id = ?', [group]);
    expect(row.n).toBe('10000');
    const after = await scim(t, o).get(`/Groups/${group}?excludedAttributes=members`).expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);

    const list = await scim(t, o).get('/Users?count=5000&attributes=userName').expect(200);
    expect(list.body).toMatchObject({ totalResults: 11_001, startIndex: 1, itemsPerPage: 1000 });
    expect(list.body.Resources).toHaveLength(1000);
  }, 120_000);
});

describe(`lookup-before-create plan (${engineName()})`, () => {
  // As during an IdP's initial sync: the table has statistics, but they were taken before this organization's
  // members arrived. With an ORDER BY created_at the planner walked the whole organization on its created_at
  // index (11,000 rows filtered per lookup in the bench); a lookup that pins one row must use its unique index.
  let fresh: ScimOrg;
  beforeAll(async () => {
    fresh = await scimOrg(t);
    const conn = t.orm.em.getConnection();
    await conn.execute('analyze member');
    const tag = unique();
    await conn.execute(
      `insert into member (id, organization_id, email, user_name, external_id, permissions, role, status, source, created_at, updated_at)
       select gen_random_uuid(), ?, 'f' || g || '-${tag}@example.test', 'f' || g || '-${tag}@example.test', 'f' || g || '-${tag}', '{}'::jsonb,
              'USER', 'INVITED', 'SCIM', now() + g * interval '1 millisecond', now()
       from generate_series(1, 11000) g`,
      [fresh.orgId],
    );
  }, 120_000);

  it.each([
    ['userName eq (a miss)', 'userName eq "nobody@example.test"'],
    ['userName eq (a hit)', null],
    ['externalId eq', 'externalId eq "nobody"'],
  ])('%s runs on its unique index', async (_name, filter) => {
    const text =
      filter ??
      `userName eq "${(await scim(t, fresh).get('/Users?count=1&startIndex=5000').expect(200)).body.Resources[0].userName}"`;
    const captured: { sql: string; bindings: unknown[] }[] = [];
    const knex = t.orm.em.getConnection().getKnex();
    const onQuery = (q: { sql: string; bindings?: unknown[] }) => {
      if (/from member m /.test(q.sql)) captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
    };
    knex.on('query', onQuery);
    try {
      await scim(t, fresh)
        .get(`/Users?filter=${encodeURIComponent(text)}`)
        .expect(200);
    } finally {
      knex.off('query', onQuery);
    }
    expect(captured).toHaveLength(1);
    // The window is a subquery of its own, without ORDER BY (the groups column orders its own aggregate).
    const window = captured[0].sql.replace(/\(select coalesce\(json_agg[\s\S]*?\) as groups/, '(groups)');
    expect(window).toContain('(groups) from (select * from member m ');
    expect(window).not.toMatch(/order by/i);
    const plan = JSON.stringify(
      await t.orm.em
        .getConnection()
        .execute(`explain (format json) ${captured[0].sql.replace(/\$\d+/g, '?')}`, captured[0].bindings),
    );
    expect(plan).not.toContain('member_org_created_idx');
    expect(plan).toMatch(/member_org_(user_name|external_id)_unique/);
  });
});
