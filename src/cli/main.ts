import path from 'node:path';
import type { Config } from '../config';
import { loadConfig } from '../config';
import { type DatabaseTarget, databaseTarget } from '../database-target';
import { runOrgctl } from './commands';
import { type OrgctlResult, sendToOwner } from './control-socket';
import { DataDirLock } from './data-dir-lock';
import type { LocalDatabase } from './local';
import type * as Local from './local';

/**
 * orgctl's entry point (bin/orgctl.js). PostgreSQL: connect directly. PGlite: hand the command to the
 * process that owns DATA_DIR (the server, or another orgctl) over its socket, or become that owner.
 * Only light modules load before that choice, so a command sent to a running server starts fast.
 */
async function orgctl(argv: string[]): Promise<OrgctlResult> {
  const config = loadConfig();
  const target = databaseTarget(config.DATABASE_URL, config.DATA_DIR);
  if (target.kind === 'postgres') return runHere(argv, config, target, null);
  for (let attempt = 0; attempt < 50; attempt++) {
    const answer = await sendToOwner(target.dataDir, argv);
    if (answer) return answer;
    const lock = await DataDirLock.tryAcquire(target.dataDir);
    if (lock) return runHere(argv, config, target, lock);
    await new Promise((r) => setTimeout(r, 100)); // the owner was just going away or coming up
  }
  throw new Error(`DATA_DIR ${path.resolve(target.dataDir)} is busy: its owner neither answers nor lets go`);
}

async function runHere(
  argv: string[],
  config: Config,
  target: DatabaseTarget,
  lock: DataDirLock | null,
): Promise<OrgctlResult> {
  let opened: Promise<LocalDatabase> | undefined;
  const container = async () => {
    if (target.kind === 'pglite-memory') {
      throw new Error(
        `no orgd server is running on DATA_DIR ${path.resolve(target.dataDir)}; with DATABASE_URL=pglite://memory the database lives in the server (start it with npm start)`,
      );
    }
    // Loaded here, not at the top: the ORM and PGlite take a second to load, and most paths never need them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous lazy load (CommonJS output)
    opened ??= (require('./local') as typeof Local).openLocal(config, target);
    return (await opened).container;
  };
  // While this process holds the lock, other orgctl processes' commands run here instead of failing.
  lock?.serve((args) => runOrgctl(args, container));
  try {
    return await runOrgctl(argv, container);
  } finally {
    await lock?.close();
    const db = await opened?.catch(() => undefined);
    await db?.close();
  }
}

function emit(result: OrgctlResult): void {
  // Writes to pipes and files are synchronous on Linux, so exiting right after loses nothing.
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exit(result.exitCode);
}

orgctl(process.argv.slice(2)).then(emit, (err: Error) => {
  // Configuration errors and unreachable owners: one line, never a stack trace.
  const message = String(err?.message ?? err).split('\n')[0];
  emit({ exitCode: 1, stdout: '', stderr: `orgctl: ${message}\n` });
});
