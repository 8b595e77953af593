import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/core';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDriver } from 'mikro-orm-pglite';
import { entities } from './entities';

export type DatabaseKind = 'postgres' | 'pglite-file' | 'pglite-memory';

export interface DatabaseTarget {
  kind: DatabaseKind;
  url?: string;
  dataDir: string;
}

/** DATABASE_URL unset -> PGlite under DATA_DIR; pglite://memory -> throwaway; postgres:// -> PostgreSQL. */
export function databaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (!databaseUrl) return { kind: 'pglite-file', dataDir };
  if (databaseUrl.startsWith('pglite://')) {
    const rest = databaseUrl.slice('pglite://'.length);
    if (rest === 'memory' || rest === '') return { kind: 'pglite-memory', dataDir };
    return { kind: 'pglite-file', dataDir: rest };
  }
  return { kind: 'postgres', url: databaseUrl, dataDir };
}

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

export function ormOptions(target: DatabaseTarget, poolMax = 10): Options {
  if (target.kind === 'postgres') {
    return {
      ...baseOptions(),
      driver: PostgreSqlDriver,
      clientUrl: target.url,
      pool: { min: 0, max: poolMax, acquireTimeoutMillis: 5000, idleTimeoutMillis: 30000 },
      driverOptions: { connection: { connectionTimeoutMillis: 3000, statement_timeout: 30000 } },
    };
  }
  let dataDir: string | undefined;
  if (target.kind === 'pglite-file') {
    dataDir = path.resolve(target.dataDir, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
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

export default ormOptions(
  databaseTarget(process.env.DATABASE_URL || undefined, process.env.DATA_DIR || './data'),
);
