import 'reflect-metadata';
import pino from 'pino';
import type { Config } from '../config';
import { type Container, createContainer } from '../container';
import type { DatabaseTarget } from '../database-target';
import { migrate, openOrm } from '../db';

export interface LocalDatabase {
  container: Container;
  close: () => Promise<void>;
}

/**
 * orgctl's own connection: PostgreSQL directly, or the PGlite directory whose lock the caller holds.
 * Migrations run first so that orgctl works before the server ever started. Logs go to stderr (stdout
 * carries the one JSON object) and only when asked for with LOG_LEVEL=debug|trace.
 */
export async function openLocal(config: Config, target: DatabaseTarget): Promise<LocalDatabase> {
  const verbose = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
  const logger = pino({ level: verbose ? config.LOG_LEVEL : 'silent' }, pino.destination(2));
  const orm = await openOrm(target, {
    max: Math.min(config.DB_POOL_MAX, 4),
    acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
  });
  try {
    await migrate(orm);
  } catch (err) {
    await orm.close(true);
    throw err;
  }
  return { container: createContainer(config, orm, logger), close: () => orm.close(true) };
}
