import 'reflect-metadata';
import { loadConfig } from '../config';
import { databaseTarget } from '../mikro-orm.config';
import { migrate, openOrm } from '../db';

/** npm run migrate | migration:create [name] | migration:check */
async function main(): Promise<void> {
  const config = loadConfig();
  const [command = 'up', name] = process.argv.slice(2);
  const orm = await openOrm(databaseTarget(config.DATABASE_URL, config.DATA_DIR));
  try {
    if (command === 'up') {
      const applied = await migrate(orm);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } else if (command === 'create') {
      await migrate(orm);
      const result = await orm.getMigrator().createMigration(undefined, false, false, name);
      console.log(result.fileName ? `created migrations/${result.fileName}` : 'no changes: entities and migrations agree');
    } else if (command === 'check') {
      await migrate(orm);
      if (await orm.getMigrator().checkMigrationNeeded()) {
        console.error('entities and migrations disagree: run npm run migration:create');
        process.exitCode = 1;
      } else console.log('entities and migrations agree');
    } else {
      console.error(`unknown command "${command}" (use up, create or check)`);
      process.exitCode = 2;
    }
  } finally {
    await orm.close(true);
  }
}

main().catch((err: Error) => {
  console.error(err.message.split('\n')[0]);
  process.exit(1);
});
