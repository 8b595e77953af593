/** Command-line flags of `npm run bench` (see README.md, "Benchmarks"). */
export interface BenchOptions {
  members: number;
  groups: number;
  /** Seconds per throughput scenario. */
  duration: number;
  smoke: boolean;
  json?: string;
  /** An existing database to use (not created, not dropped); otherwise a fresh one is made. */
  database?: string;
  /** The server that creates and drops the fresh database. */
  adminUrl: string;
  /** Autocannon connections for the SCIM lookup/create scenarios and their raw baselines. */
  connections: number;
  /** The JumpCloud-like sync: users, groups, members per group, concurrent clients, cycles. */
  sync: { users: number; groups: number; groupSize: number; clients: number; cycles: number };
  /** Group PATCH: group size, members added, repetitions. */
  groupPatch: { size: number; add: number; repeats: number };
  /** Group role mapping: members of the SCIM group whose mapping is set and cleared, and how many times. */
  roleMapping: { size: number; rounds: number };
  /** The small organization used to show latency is flat in the organization's size. */
  smallMembers: number;
  /** Wall-clock budget of the whole run; sync cycles are capped to stay inside it. */
  budgetSeconds: number;
  keepLogs: boolean;
  /** Server instances behind a round-robin proxy for the multi-instance scenario; 1 skips it. */
  instances: number;
  /** Where the main server writes a V8 CPU profile (node --cpu-prof) when it stops; unset: no profile. */
  cpuProfDir?: string;
  /** Scenarios to run (--only); unset: all of them. */
  only?: Set<Scenario>;
}

/** The scenarios --only can pick. */
export const SCENARIOS = ['lookup', 'page', 'create', 'sync', 'webhook', 'group-patch', 'role-mapping'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Whether the run includes `scenario`. */
export const runs = (opts: BenchOptions, scenario: Scenario): boolean => !opts.only || opts.only.has(scenario);

export const USAGE = `usage: node dist/bench/run.js [--members N] [--groups N] [--duration S] [--smoke] [--json FILE] [--database URL]
  --members N     members of the main organization (default 100000; smoke 2000)
  --groups N      groups of the main organization (default 1000; smoke 20)
  --duration S    seconds per throughput scenario (default 10; smoke 2)
  --smoke         tiny sizes and short durations (CI keeps the harness working, < 60 s)
  --json FILE     also write the figures as JSON
  --database URL  use this PostgreSQL database instead of creating (and dropping) orgd_bench_<pid>
  --admin-url URL server used to create the fresh database (default postgres://postgres@127.0.0.1:5432/postgres)
  --connections N autocannon connections for SCIM lookup/create and the raw baselines (default 32)
  --keep-logs     keep the server logs in the temporary directory
  --instances N   also run SCIM lookups and creates through N server instances behind a round-robin proxy (default 1: skipped)
  --cpu-prof DIR  run the main server under node --cpu-prof, writing its .cpuprofile into DIR when it stops
  --only LIST     run only these scenarios (comma-separated: ${SCENARIOS.join(', ')}); the others are reported as skipped`;

export class UsageError extends Error {}

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} needs a positive number`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const given: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split(/=(.*)/s, 2);
    switch (flag) {
      case '--smoke':
      case '--keep-logs':
        given[flag] = true;
        break;
      case '--members':
      case '--groups':
      case '--duration':
      case '--json':
      case '--database':
      case '--admin-url':
      case '--connections':
      case '--instances':
      case '--cpu-prof':
      case '--only': {
        const value = inline ?? argv[++i];
        if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
        given[flag] = value;
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown flag ${arg}`);
    }
  }
  const smoke = given['--smoke'] === true;
  const members = given['--members']
    ? Math.floor(positive('--members', given['--members'] as string))
    : smoke
      ? 2000
      : 100_000;
  const groups = given['--groups'] ? Math.floor(positive('--groups', given['--groups'] as string)) : smoke ? 20 : 1000;
  const duration = given['--duration'] ? positive('--duration', given['--duration'] as string) : smoke ? 2 : 10;
  const database = given['--database'] as string | undefined;
  const adminUrl = (given['--admin-url'] as string | undefined) ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  for (const [flag, url] of [
    ['--database', database],
    ['--admin-url', adminUrl],
  ] as const) {
    if (url !== undefined && !/^postgres(ql)?:\/\//.test(url))
      throw new UsageError(`${flag} must be a postgres:// URL`);
  }
  // Group PATCH needs `size + add` seeded members; shrink it on small organizations rather than fail.
  const wantedSize = smoke ? 1000 : 10_000;
  const wantedAdd = smoke ? 100 : 1000;
  const add = Math.max(1, Math.min(wantedAdd, Math.floor(members / 11)));
  const size = Math.max(1, Math.min(wantedSize, members - add));
  return {
    members,
    groups,
    duration,
    smoke,
    json: given['--json'] as string | undefined,
    database,
    adminUrl,
    connections: given['--connections'] ? Math.floor(positive('--connections', given['--connections'] as string)) : 32,
    sync: smoke
      ? { users: 200, groups: 4, groupSize: 50, clients: 8, cycles: 1 }
      : { users: 10_000, groups: 100, groupSize: 100, clients: 8, cycles: 3 },
    groupPatch: { size, add, repeats: smoke ? 3 : 5 },
    roleMapping: smoke ? { size: 500, rounds: 3 } : { size: 10_000, rounds: 5 },
    smallMembers: 1000,
    budgetSeconds: smoke ? 120 : 540,
    keepLogs: given['--keep-logs'] === true,
    instances: given['--instances'] ? Math.floor(positive('--instances', given['--instances'] as string)) : 1,
    cpuProfDir: given['--cpu-prof'] as string | undefined,
    only: given['--only'] ? parseOnly(given['--only'] as string) : undefined,
  };
}

function parseOnly(list: string): Set<Scenario> {
  const names = list.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown.length)
    throw new UsageError(`--only: unknown scenario ${unknown.join(', ')} (one of ${SCENARIOS.join(', ')})`);
  return new Set(names as Scenario[]);
}
