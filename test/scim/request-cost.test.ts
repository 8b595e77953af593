/**
 * What a SCIM request costs the database once the caller is authenticated: the statements its own work sends,
 * the key check, rate limiting, request log and transaction control aside (they are counted elsewhere).
 */
import { cliActor } from '../../src/domain/actor';
import { type TestApp, createTestApp } from '../helpers/app';
import { unique } from '../helpers/factories';
import { GROUP_SCHEMA, type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';

let t: TestApp;
let o: ScimOrg;
beforeAll(async () => {
  t = await createTestApp();
  // As a server runs: on PostgreSQL the change listener is in place, so what is cached in memory (verified keys, the
  // organization's webhook endpoints) is used. Over PGlite there is no listener and the caches are used at once.
  t.changeListener?.start();
  for (let waited = 0; t.changeListener && !t.changeListener.listening; waited += 20) {
    if (waited > 10_000) throw new Error('the change listener did not connect');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  o = await scimOrg(t);
});
afterAll(async () => {
  await t.changeListener?.close();
  await t.close();
});

// A statement whose first table is one of these is the key check, rate limiting or the request log.
const BOOKKEEPING =
  /^(?:select[\s\S]*?\bfrom|insert\s+into|update|delete\s+from)\s+"?(?:api_key|scim_settings|scim_request_log|rate_limit)\b|synchronous_commit/i;

/**
 * The data statements `work` sends, and the transaction control of its own transactions apart. A transaction that
 * holds bookkeeping (the request log's batch, written on a timer of its own) is left out with its control.
 */
async function statementsOf<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: string[]; transactionControl: string[] }> {
  await t.services.scimRequestLog.flush(); // what earlier requests logged is not written during `work`
  const knex = t.orm.em.getConnection().getKnex();
  const seen: { sql: string; txId?: string }[] = [];
  const onQuery = (q: { sql: string; __knexTxId?: string }) => seen.push({ sql: q.sql.trim(), txId: q.__knexTxId });
  knex.on('query', onQuery);
  let result: T;
  try {
    result = await work();
  } finally {
    knex.off('query', onQuery);
  }
  const isControl = (sql: string) => /^(begin|commit|rollback|savepoint|release)/i.test(sql);
  // Known by what they hold: a transaction with any other statement (or none seen) counts as the request's own.
  const bookkeepingTransactions = new Set(
    seen.filter(({ sql, txId }) => txId && BOOKKEEPING.test(sql)).map(({ txId }) => txId),
  );
  return {
    result,
    statements: seen.filter(({ sql }) => !isControl(sql) && !BOOKKEEPING.test(sql)).map(({ sql }) => sql),
    transactionControl: seen
      .filter(({ sql, txId }) => isControl(sql) && !(txId && bookkeepingTransactions.has(txId)))
      .map(({ sql }) => sql),
  };
}

describe('SCIM request cost', () => {
  it('looks a user up by userName, with its groups, in one statement', async () => {
    const userName = `lookup-${unique()}@example.test`;
    const created = await scim(t, o).post('/Users', newUser(userName)).expect(201);
    const groupIds: string[] = [];
    for (const displayName of ['Beta', 'alpha']) {
      const group = await scim(t, o)
        .post('/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: `${displayName} ${unique()}`,
          members: [{ value: created.body.id }],
        })
        .expect(201);
      groupIds.push(group.body.id);
    }
    await scim(t, o).get('/ServiceProviderConfig').expect(200); // warm up: key look-up, last-used stamp

    const { result: res, statements } = await statementsOf(() =>
      scim(t, o)
        .get(`/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`)
        .expect(200),
    );

    expect(statements).toHaveLength(1);
    // The columns it renders, never the invitation's secrets.
    expect(statements[0]).not.toMatch(/m\.\*|invitation_token_hash|confirmation_key/);
    expect(res.body.totalResults).toBe(1);
    const [user] = res.body.Resources;
    expect(user.id).toBe(created.body.id);
    expect(user.userName).toBe(userName);
    // By name, case-insensitively: 'alpha' before 'Beta'.
    expect(user.groups.map((g: { value: string }) => g.value)).toEqual([groupIds[1], groupIds[0]]);
    expect(user.groups[0]).toEqual({
      value: groupIds[1],
      display: expect.stringMatching(/^alpha /),
      $ref: expect.stringMatching(new RegExp(`/Groups/${groupIds[1]}$`)),
      type: 'direct',
    });
    expect(user.meta.created).toBe(created.body.meta.created);
    expect(user.meta.version).toBe(created.body.meta.version);
  });

  it('finds nobody in one statement and reports zero results', async () => {
    const { result: res, statements } = await statementsOf(() =>
      scim(t, o)
        .get(`/Users?filter=${encodeURIComponent(`userName eq "nobody-${unique()}@example.test"`)}`)
        .expect(200),
    );
    expect(statements).toHaveLength(1);
    expect(res.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('creates a user, its audit event and its invitation e-mail in one statement, with no transaction around it', async () => {
    await scim(t, o).get('/ServiceProviderConfig').expect(200); // warm up: key look-up, last-used stamp
    // The organization's first create reads it (name, seat limit, invitation setting); the next ones remember it.
    const first = await statementsOf(() =>
      scim(t, o)
        .post('/Users', newUser(`first-${unique()}@example.test`))
        .expect(201),
    );
    expect(first.statements.length).toBeLessThanOrEqual(2);
    const userName = `create-${unique()}@example.test`;
    const {
      result: res,
      statements,
      transactionControl,
    } = await statementsOf(() => scim(t, o).post('/Users', newUser(userName)).expect(201));

    expect(statements).toHaveLength(1);
    // The insert is one statement, atomic on its own; only an organization with a seat limit needs a transaction.
    expect(transactionControl).toEqual([]);
    expect(res.body).toMatchObject({ userName, active: true, meta: { version: 'W/"1"' } });
    const conn = t.orm.em.getConnection();
    const [written] = await conn.execute<{ status: string; audits: string; mails: string }[]>(
      `select m.status,
              (select count(*)::text from audit_event a where a.target_id = m.id and a.type = 'member.provisioned') as audits,
              (select count(*)::text from outbox_message x where x.member_id = m.id and x.kind = 'INVITATION') as mails
         from member m where m.id = ?`,
      [res.body.id],
    );
    expect(written).toEqual({ status: 'INVITED', audits: '1', mails: '1' });
  });

  it('counts the seats of an organization with a seat limit under its lock, in one transaction with the insert', async () => {
    const limited = await scimOrg(t);
    await t.services.organizations.update(cliActor(), limited.orgId, { seatLimit: 10 });
    await scim(t, limited).get('/ServiceProviderConfig').expect(200);
    const { statements, transactionControl } = await statementsOf(() =>
      scim(t, limited)
        .post('/Users', newUser(`limited-${unique()}@example.test`))
        .expect(201),
    );
    expect(transactionControl.map((sql) => sql.split(/[\s;]/)[0].toLowerCase())).toEqual(['begin', 'commit']);
    expect(statements.some((sql) => /for update/i.test(sql))).toBe(true);
  });

  it('answers a duplicate userName from the unique index with 409 uniqueness, writing nothing', async () => {
    const userName = `dup-${unique()}@example.test`;
    await scim(t, o).post('/Users', newUser(userName)).expect(201);
    const [before] = await t.orm.em
      .getConnection()
      .execute<{ n: string }[]>('select count(*)::text as n from audit_event where organization_id = ?', [o.orgId]);
    const res = await scim(t, o)
      .post('/Users', newUser(`other-${unique()}@example.test`, { userName: userName.toUpperCase() }))
      .expect(409);
    expect(res.body.scimType).toBe('uniqueness');
    const [after] = await t.orm.em
      .getConnection()
      .execute<{ n: string }[]>('select count(*)::text as n from audit_event where organization_id = ?', [o.orgId]);
    expect(after.n).toBe(before.n);
  });
});
