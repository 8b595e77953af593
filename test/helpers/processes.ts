import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { testPostgresUrl } from './db';

/** Spawns the compiled tree (test/global-setup.ts builds it), as a user runs it. */
const root = path.resolve(__dirname, '../..');
export const ORGCTL = path.join(root, 'bin/orgctl.js');
export const SERVER = path.join(root, 'dist/src/main.js');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const tempDir = (prefix: string): string => mkdtempSync(path.join(tmpdir(), `${prefix}-`));

/**
 * The child's environment: this process's, minus what would point it at the tests' own database or
 * make node print warnings (jest runs with --experimental-vm-modules), plus `overrides`.
 */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    DATABASE_URL: '',
    TEST_DATABASE_URL: '',
    LOG_LEVEL: 'info',
    ...overrides,
  };
  return env;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function orgctl(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ORGCTL, ...args], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one JSON object of a successful `--json` run (and nothing else on stdout or stderr). */
export function jsonOf(run: CliRun): Record<string, unknown> {
  if (run.code !== 0 || run.stderr !== '') throw new Error(`orgctl failed (${run.code}): ${run.stderr}`);
  const lines = run.stdout.split('\n');
  if (lines.length !== 2 || lines[1] !== '')
    throw new Error(`expected exactly one line on stdout, got: ${JSON.stringify(run.stdout)}`);
  return JSON.parse(lines[0]);
}

export interface ServerProcess {
  proc: ChildProcess;
  port: number;
  /** Everything the server wrote, stdout and stderr. */
  output: () => string;
  exited: Promise<number | null>;
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  stop: () => Promise<number | null>;
  kill9: () => Promise<void>;
}

/** Starts `node dist/src/main.js` (PORT=0 unless given) and waits for its "orgd listening" line. */
export async function startServer(env: NodeJS.ProcessEnv, timeoutMs = 45_000): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [SERVER], {
    env: { PORT: '0', ...env },
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (c) => (output += c));
  proc.stderr!.on('data', (c) => (output += c));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve((exitCode = code))));
  const waitForOutput = async (pattern: RegExp, ms = timeoutMs) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(output)) {
      if (exitCode !== undefined)
        throw new Error(`server exited (${exitCode}) while waiting for ${pattern}:\n${output.slice(-2000)}`);
      if (Date.now() > deadline)
        throw new Error(`server did not print ${pattern} within ${ms} ms:\n${output.slice(-2000)}`);
      await sleep(50);
    }
  };
  const server: ServerProcess = {
    proc,
    port: 0,
    output: () => output,
    exited,
    waitForOutput,
    stop: async () => {
      if (exitCode === undefined) proc.kill('SIGTERM');
      return exited;
    },
    kill9: async () => {
      if (exitCode === undefined) proc.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await waitForOutput(/"msg":"orgd listening"/);
  } catch (err) {
    await server.kill9();
    throw err;
  }
  server.port = Number(/"port":(\d+)[^\n]*"msg":"orgd listening"/.exec(output)?.[1]);
  return server;
}

export function httpGet(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** POST /graphql with a bearer token; the parsed body. */
export interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function graphql(
  port: number,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlBody> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphqlBody;
}

/** A port the kernel just handed out and that nothing listens on (for an SMTP receiver that is down). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A fresh, empty PostgreSQL database (no migrations: the process under test runs them), or null. */
export async function emptyPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const admin = testPostgresUrl();
  if (!admin) return null;
  const name = `orgd_cli_${process.pid}_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`create database "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists "${name}" with (force)`) };
}
