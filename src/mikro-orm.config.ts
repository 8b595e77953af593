import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/core';
import { PGlite } from '@electric-sql/pglite';
// mikro-orm-pglite's driver, fixed: a `;` inside a value must not split the query into statements (see the file).
import { PGliteDriver } from './pglite-driver';
import { type DatabaseTarget, databaseTarget } from './database-target';
import { DATA_DIR_MODE, ensureDataDir } from './data-dir';
import { entities } from './entities';

// The compiled tree runs dist/migrations/*.js; ts-jest/ts-node runs migrations/*.ts.
const projectRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

function baseOptions(): Options {
  return {
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    discovery: { disableDynamicFileAccess: true },
    forceUtcTimezone: true,
    // Entities are plain table shapes; the services decide what is loaded.
    forceEntityConstructor: false,
    allowGlobalContext: false,
    debug: false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: path.join(projectRoot, 'dist/migrations'),
      pathTs: path.join(projectRoot, 'migrations'),
      glob: '!(*.d).{js,ts}',
      transactional: true,
      silent: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
  };
}

export interface PoolOptions {
  max?: number;
  /**
   * How long a request may queue for a free connection. Queueing is normal under a burst (an IdP's
   * parallel PATCHes of one group); an unreachable database fails sooner, by the 3 s connect timeout.
   */
  acquireTimeoutMs?: number;
}

export function ormOptions(target: DatabaseTarget, pool: PoolOptions = {}): Options {
  if (target.kind === 'postgres') {
    return {
      ...baseOptions(),
      driver: PostgreSqlDriver,
      clientUrl: target.url,
      pool: {
        min: 0,
        max: pool.max ?? 10,
        acquireTimeoutMillis: pool.acquireTimeoutMs ?? 15_000,
        idleTimeoutMillis: 30000,
      },
      driverOptions: { connection: { connectionTimeoutMillis: 3000, statement_timeout: 30000 } },
    };
  }
  let dataDir: string | undefined;
  if (target.kind === 'pglite-file') {
    ensureDataDir(target.dataDir);
    dataDir = path.resolve(target.dataDir, 'pgdata');
    mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  }
  // One PGlite instance per process and data directory; MikroORM borrows it.
  const pglite = new PGlite(dataDir);
  return {
    ...baseOptions(),
    driver: PGliteDriver,
    dbName: 'postgres',
    pool: { min: 1, max: 1 },
    driverOptions: { connection: { pglite: () => pglite } },
  };
}

// A factory, not a value: importing this module (main.ts, orgctl, tests) must not open a PGlite data
// directory. An eager instance here opened DATA_DIR a second time in every process, before the lock.
export default () =>
  ormOptions(databaseTarget(process.env.DATABASE_URL || undefined, process.env.DATA_DIR || './data'));
