import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { DataDirLock } from '../../src/cli/data-dir-lock';
import { type TestDatabase, createTestDatabase, engineName } from '../helpers/db';
import { childEnv, emptyPostgresDatabase, tempDir } from '../helpers/processes';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

function migrateScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/src/cli/migrate.js'), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe(`migrations (${engineName()})`, () => {
  it('build a schema the entities agree with (nothing left for migration:create)', async () => {
    expect(await db.orm.getMigrator().checkMigrationNeeded()).toBe(false);
  });

  it('the check notices drift between the schema and the entities', async () => {
    const em = db.orm.em.fork();
    await em.execute('alter table organization add column drift_probe int');
    try {
      expect(await db.orm.getMigrator().checkMigrationNeeded()).toBe(true);
    } finally {
      await em.execute('alter table organization drop column drift_probe');
    }
  });

  it('`node dist/src/cli/migrate.js check` migrates a fresh database and exits 0', async () => {
    const pg = await emptyPostgresDatabase();
    const dir = tempDir('orgd-migrate');
    try {
      const env = childEnv({ DATABASE_URL: pg?.url ?? 'pglite://memory', DATA_DIR: dir, LOG_LEVEL: 'silent' });
      const run = await migrateScript(['check'], env);
      expect(run).toEqual({ code: 0, output: 'entities and migrations agree\n' });
    } finally {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a PGlite directory that another process owns, in one line', async () => {
    const dir = tempDir('orgd-migrate-held');
    const lock = await DataDirLock.acquire(dir);
    try {
      const run = await migrateScript(['up'], childEnv({ DATA_DIR: dir }));
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/^migrate: DATA_DIR .* is in use by another orgd process.*\n$/);
    } finally {
      await lock.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
