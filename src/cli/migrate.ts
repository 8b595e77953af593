import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config';
import { databaseTarget } from '../database-target';
import { migrate, openOrm } from '../db';
import { DataDirLock } from './data-dir-lock';

/** npm run migrate | migration:create [name] | migration:check */
async function main(): Promise<void> {
  const config = loadConfig();
  const [command = 'up', name] = process.argv.slice(2);
  if (!['up', 'create', 'check'].includes(command)) {
    console.error(`unknown command "${command}" (use up, create or check)`);
    process.exitCode = 2;
    return;
  }
  const target = databaseTarget(config.DATABASE_URL, config.DATA_DIR);
  // A PGlite directory has one owner; a running server migrated it at start already.
  const lock = target.kind === 'pglite-file' ? await DataDirLock.acquire(target.dataDir) : null;
  lock?.serve(async () => ({
    exitCode: 1,
    stdout: '',
    stderr: 'orgctl: DATA_DIR is busy with a migration run; try again in a moment\n',
  }));
  const orm = await openOrm(target);
  try {
    if (command === 'up') {
      const applied = await migrate(orm);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } else if (command === 'create') {
      await migrate(orm);
      const result = await orm.getMigrator().createMigration(undefined, false, false, name);
      console.log(
        result.fileName ? `created migrations/${result.fileName}` : 'no changes: entities and migrations agree',
      );
    } else {
      await migrate(orm);
      if (await orm.getMigrator().checkMigrationNeeded()) {
        console.error('entities and migrations disagree: run npm run migration:create');
        process.exitCode = 1;
      } else console.log('entities and migrations agree');
    }
  } finally {
    await orm.close(true);
    await lock?.close();
  }
}

main().catch((err: Error) => {
  // One line, never a stack trace (a held DATA_DIR, a bad DATABASE_URL, an unreachable server).
  console.error(err instanceof ConfigError ? err.message : `migrate: ${err.message.split('\n')[0]}`);
  process.exit(1);
});
