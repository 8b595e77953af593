import { Pool } from 'pg';
import { type CounterIncrement, type CounterState } from '../domain/counters';

/**
 * The shared `rate_limit` table (created by our migrations), in rate-limiter-flexible's layout (key, points, expire
 * in ms), so the library's own limiters and ours share it and its sweep. A small pool of its own keeps limiter
 * traffic from queueing behind business queries.
 */
export class RateLimitStore {
  /** Also the store client of rate-limiter-flexible's RateLimiterPostgres (storeType 'pool'). */
  readonly pool: Pool;

  constructor(url: string) {
    // Counters are advisory: losing the last increments in a crash is fine, waiting for a WAL flush on
    // every batch is not (synchronous_commit off for this pool's sessions only).
    this.pool = new Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: 2000,
      options: '-c synchronous_commit=off',
    });
    this.pool.on('error', () => undefined); // a dropped idle connection must not crash the process
  }

  /**
   * Adds to many counters in one statement and answers their new states. Keys are sent in one order (sorted), so two
   * instances' batches lock the rows in the same order and cannot deadlock.
   */
  async add(increments: CounterIncrement[]): Promise<Map<string, CounterState>> {
    const sorted = [...increments].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const { rows } = await this.pool.query<{ key: string; points: number; expire: string }>(
      `insert into rate_limit as r (key, points, expire)
         select t.key, t.points, $4::bigint + t.duration
           from unnest($1::text[], $2::int[], $3::bigint[]) with ordinality as t(key, points, duration, n)
          order by t.n
       on conflict (key) do update set
         points = case when r.expire <= $4 then excluded.points else r.points + excluded.points end,
         expire = case when r.expire <= $4 then excluded.expire else r.expire end
       returning key, points, expire`,
      [sorted.map((i) => i.key), sorted.map((i) => i.points), sorted.map((i) => i.durationMs), Date.now()],
    );
    return new Map(rows.map((row) => [row.key, { points: row.points, expire: Number(row.expire) }]));
  }

  /** Deletes the counters whose window has ended; never rejects (a failed sweep waits for the next). */
  async clearExpired(): Promise<void> {
    await this.pool.query('delete from rate_limit where expire < $1', [Date.now()]).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
