import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';

/** A port the kernel just handed out (closed again before the child binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface Child {
  name: string;
  proc: ChildProcess;
  port: number;
  logFile: string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after the grace period; says whether the process left by itself. */
  stop: () => Promise<{ graceful: boolean; seconds: number }>;
}

const children = new Set<Child>();
const GRACE_MS = 5000;

/** Starts `node script` with its output in `logFile`; waits until `readyPath` answers 200. */
export async function startNode(
  name: string,
  script: string,
  env: Record<string, string>,
  port: number,
  logFile: string,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<Child> {
  const fd = openSync(logFile, 'a');
  const proc = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const child: Child = {
    name,
    proc,
    port,
    logFile,
    exited,
    stop: async () => {
      const t0 = Date.now();
      let graceful = true;
      if (exitCode === undefined) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => {
          graceful = false;
          proc.kill('SIGKILL');
        }, GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
      return { graceful, seconds: (Date.now() - t0) / 1000 };
    },
  };
  children.add(child);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`${name} exited with code ${exitCode} during start-up:\n${tail(logFile)}`);
    if ((await httpStatus(port, readyPath)) === 200) return child;
    await sleep(200);
  }
  await child.stop();
  throw new Error(`${name} did not become ready on port ${port} within 60 s:\n${tail(logFile)}`);
}

/** Last resort when the harness itself dies: no child outlives it. */
export function killAllChildrenSync(): void {
  for (const child of children) {
    try {
      child.proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((c) => c.stop()));
}

function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Resident set size of a process from /proc (Linux): current and the kernel's high-water mark, in bytes. */
export function readRss(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * CPU time a process has used so far (user + system, from /proc/<pid>/stat, Linux), in ms. On a shared machine
 * CPU per request is steadier than requests per second: other work slows a server down but does not add to it.
 */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}
/** CPU milliseconds spent so far by each process named `postgres` on this machine, by pid; empty without /proc. */
function postgresCpuByPid(): Map<number, number> {
  const byPid = new Map<number, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.indexOf('(') + 1, stat.indexOf(')')) === 'postgres')
          byPid.set(Number(entry), cpuMs(Number(entry)));
      } catch {
        // gone since the listing
      }
    }
  } catch {
    // no /proc
  }
  return byPid;
}

/**
 * The CPU the PostgreSQL server's processes (the postmaster, its workers and the connections' backends) spend from
 * now until the returned function is called, in milliseconds; NaN where /proc is not there. A backend that exits in
 * between takes its time with it and is left out (a pool closed meanwhile makes the figure low, never negative); a
 * backend started in between counts in full.
 */
export function postgresCpuSpan(): () => number {
  const before = postgresCpuByPid();
  return () => {
    const after = postgresCpuByPid();
    if (!after.size) return NaN;
    let spent = 0;
    for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
    return spent;
  };
}
/** CPU milliseconds as a row's note ("12.3 s"; "?" where /proc is not there). */
export const cpuSeconds = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '?');
/** USER_HZ: 100 on every Linux Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * `work` run under load, with the CPU `pid` spent on it per request answered, and PostgreSQL's beside it ("x ms
 * CPU/req (PostgreSQL y ms)" for a row's notes): on a machine with few cores the database's share limits a server
 * as much as its own.
 */
export async function withCpu<T extends { recorder: { total: number } }>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; note: string }> {
  const before = cpuMs(pid);
  const db = postgresCpuSpan();
  const result = await work();
  const perRequest = (cpuMs(pid) - before) / result.recorder.total;
  const dbPerRequest = db() / result.recorder.total;
  if (!Number.isFinite(perRequest)) return { result, note: '' };
  const dbNote = Number.isFinite(dbPerRequest) ? ` (PostgreSQL ${dbPerRequest.toFixed(2)} ms)` : '';
  return { result, note: `${perRequest.toFixed(2)} ms CPU/req${dbNote}` };
}

/** Polls a process's RSS every 200 ms and keeps the peak (also VmHWM, which catches spikes between polls). */
export class RssMonitor {
  private timer: NodeJS.Timeout;
  peakPolled = 0;
  hwm = 0;
  last = 0;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): number {
    const r = readRss(this.pid);
    if (r) {
      this.last = r.rss;
      this.peakPolled = Math.max(this.peakPolled, r.rss);
      if (Number.isFinite(r.hwm)) this.hwm = Math.max(this.hwm, r.hwm);
    }
    return this.last;
  }

  get peak(): number {
    return Math.max(this.peakPolled, this.hwm);
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}
