import { type TestContext, createTestContext, engineName } from '../helpers/db';
import { unique } from '../helpers/factories';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});

afterAll(async () => {
  await t.close();
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
  t.orm.em.fork().getConnection().execute<T[]>(query, params);
const ago = (ms: number) => new Date(Date.now() - ms);

async function newUser(): Promise<string> {
  return (await t.services.tokens.userForEmail(`purge-${unique()}@example.test`)).id;
}

/** A session row with the given times; returns its id. */
async function session(
  userId: string,
  times: { createdAt?: Date; lastSeenAt?: Date; revokedAt?: Date | null } = {},
): Promise<string> {
  const createdAt = times.createdAt ?? new Date();
  const [row] = await sql<{ id: string }>(
    `insert into session (id, user_id, hash, method, created_at, last_seen_at, revoked_at)
     values (gen_random_uuid(), ?, md5(random()::text) || md5(random()::text), 'access_token', ?, ?, ?) returning id`,
    [userId, createdAt, times.lastSeenAt ?? createdAt, times.revokedAt ?? null],
  );
  return row.id;
}

/** A sign-in link row; returns its id. */
async function link(userId: string, expiresAt: Date, usedAt: Date | null = null): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `insert into sign_in_link (id, user_id, hash, expires_at, used_at, created_at)
     values (gen_random_uuid(), ?, md5(random()::text) || md5(random()::text), ?, ?, ?) returning id`,
    [userId, expiresAt, usedAt, new Date(expiresAt.getTime() - 15 * 60_000)],
  );
  return row.id;
}

const remaining = async (table: 'session' | 'sign_in_link', userId: string): Promise<string[]> =>
  (await sql<{ id: string }>(`select id from ${table} where user_id = ? order by id`, [userId])).map((r) => r.id);

describe(`purging dead sign-in state (${engineName()})`, () => {
  it('deletes sessions dead for more than a day and keeps live and recently dead ones', async () => {
    const userId = await newUser();
    const keep = [
      await session(userId), // live
      await session(userId, { lastSeenAt: ago(HOUR), createdAt: ago(6 * DAY) }), // live, near its absolute limit
      await session(userId, { revokedAt: ago(HOUR) }), // revoked an hour ago: within the grace
      await session(userId, { createdAt: ago(DAY), lastSeenAt: ago(13 * HOUR) }), // idle-expired an hour ago
      await session(userId, { createdAt: ago(7 * DAY + HOUR), lastSeenAt: ago(60_000) }), // too old an hour ago
    ];
    await session(userId, { revokedAt: ago(2 * DAY), createdAt: ago(3 * DAY) }); // revoked two days ago
    await session(userId, { createdAt: ago(3 * DAY), lastSeenAt: ago(12 * HOUR + 25 * HOUR) }); // idle-expired > 1 day ago
    await session(userId, { createdAt: ago(8 * DAY + HOUR), lastSeenAt: ago(60_000) }); // absolute expiry > 1 day ago

    expect(await t.services.sessions.purgeDead()).toBe(3);
    expect(await remaining('session', userId)).toEqual([...keep].sort());
    expect(await t.services.sessions.purgeDead()).toBe(0);
  });

  it('deletes links used or expired more than a day ago and keeps the rest', async () => {
    const userId = await newUser();
    const keep = [
      await link(userId, new Date(Date.now() + 10 * 60_000)), // outstanding
      await link(userId, ago(HOUR)), // expired an hour ago
      await link(userId, new Date(Date.now() + 5 * 60_000), ago(60_000)), // used a minute ago
    ];
    await link(userId, ago(2 * DAY)); // expired two days ago
    await link(userId, ago(2 * DAY), ago(2 * DAY + 5 * 60_000)); // used two days ago

    expect(await t.services.signIn.purgeDeadLinks()).toBe(2);
    expect(await remaining('sign_in_link', userId)).toEqual([...keep].sort());
  });

  it('clears a backlog larger than a batch, also with two instances purging at once', async () => {
    const userId = await newUser();
    const live = await link(userId, new Date(Date.now() + 10 * 60_000));
    await sql(
      `insert into sign_in_link (id, user_id, hash, expires_at, created_at)
       select gen_random_uuid(), ?, md5(random()::text) || md5(i::text), now() - interval '3 days', now() - interval '3 days'
       from generate_series(1, 2500) i`,
      [userId],
    );
    const deleted = await Promise.all([t.services.signIn.purgeDeadLinks(), t.services.signIn.purgeDeadLinks()]);
    expect(deleted[0] + deleted[1]).toBe(2500);
    expect(await remaining('sign_in_link', userId)).toEqual([live]);
  });

  it('runs on a timer once started, and stops', async () => {
    const userId = await newUser();
    const deadSession = await session(userId, { revokedAt: ago(2 * DAY) });
    const deadLink = await link(userId, ago(2 * DAY));
    t.services.sessions.startPurging(20);
    t.services.signIn.startPurging(20);
    try {
      const deadline = Date.now() + 5000;
      while ((await remaining('session', userId)).length || (await remaining('sign_in_link', userId)).length) {
        if (Date.now() > deadline) throw new Error(`still there: session ${deadSession}, link ${deadLink}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await Promise.all([t.services.sessions.stopPurging(), t.services.signIn.stopPurging()]);
    }
    // Stopped: a new dead row stays.
    const later = await session(userId, { revokedAt: ago(2 * DAY) });
    await new Promise((r) => setTimeout(r, 100));
    expect(await remaining('session', userId)).toEqual([later]);
  });
});
