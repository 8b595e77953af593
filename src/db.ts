import { MikroORM, RequestContext } from '@mikro-orm/core';
import { type PostgreSqlDriver } from '@mikro-orm/postgresql';
import { type DatabaseTarget } from './database-target';
import { type PoolOptions, ormOptions } from './mikro-orm.config';

export type Orm = MikroORM<PostgreSqlDriver>;

// Any constant works: every instance of the service must use the same one.
const MIGRATION_LOCK_KEY = 7_261_104;

export async function openOrm(target: DatabaseTarget, pool: PoolOptions = {}): Promise<Orm> {
  return (await MikroORM.init(ormOptions(target, pool))) as unknown as Orm;
}

/**
 * Runs pending migrations. On PostgreSQL two instances may start together, so the run is
 * serialized by a session advisory lock held on one dedicated connection.
 */
export async function migrate(orm: Orm): Promise<string[]> {
  const knex = orm.em.getConnection().getKnex();
  const run = async () => (await orm.getMigrator().up()).map((m) => m.name);
  if (orm.config.get('pool')?.max === 1) return run(); // PGlite: one process owns the data directory.
  const conn = await knex.client.acquireConnection();
  try {
    await conn.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await run();
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await knex.client.releaseConnection(conn);
  }
}

export async function databaseAnswers(orm: Orm, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const probe = orm.em.getConnection().execute('select 1');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    await Promise.race([probe, timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `next` with its own EntityManager fork (MikroORM's identity map must not be shared between requests). */
export function inRequestContext(orm: Orm, next: () => void): void {
  RequestContext.create(orm.em, next);
}

/** The connections of the PostgreSQL pool; null on PGlite (one in-process connection, no pool). */
export interface PoolStats {
  inUse: number;
  idle: number;
  waiting: number;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/** The knex (tarn) pool behind MikroORM on PostgreSQL, read for the metrics. */
export function poolStats(orm: Orm): PoolStats | null {
  const pool = (orm.em.getConnection().getKnex().client as { pool?: Partial<TarnPool> }).pool;
  if (!pool || typeof pool.numUsed !== 'function') return null;
  const tarn = pool as TarnPool;
  return { inUse: tarn.numUsed(), idle: tarn.numFree(), waiting: tarn.numPendingAcquires() };
}
