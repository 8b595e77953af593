import { chmodSync, closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureDataDir } from '../data-dir';
import {
  type ControlHandler,
  GREETING,
  type OrgctlResult,
  SOCKET_NAME,
  answers,
  controlSocketPath,
} from './control-socket';

// Holding DATA_DIR = listening on its control socket. A socket cannot stay "held" by a dead process:
// connecting to a stale one fails, so the next owner replaces it.
//
// Who may connect: only the user running orgd (and root). Linux can tell a listener its peer's uid
// (SO_PEERCRED), but Node exposes no API for it and reading it would take a native addon. So the file system
// enforces it instead, which the kernel checks at connect(2): the socket is created 0600 (umask, below) inside
// DATA_DIR created 0700 (ensureDataDir). Another user's connect fails with EACCES before we see a byte
// (test/cli/control-socket.test.ts connects as `nobody` to check it).

const MAX_REQUEST_BYTES = 1 << 20;
const REQUEST_TIMEOUT_MS = 10_000;

export class DataDirInUseError extends Error {}

function listen(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    // umask 0177 makes the socket owner-only from the moment it exists (bind is synchronous here).
    const previous = process.umask(0o177);
    try {
      server.listen(socketPath, () => {
        server.off('error', onError);
        resolve();
      });
    } finally {
      process.umask(previous);
    }
  });
}

/**
 * Serializes stale-socket recovery between processes: without it two of them could each unlink the
 * other's fresh socket and both believe they own the directory. The pid lets a crashed holder's file go.
 */
async function withRecoveryLock<T>(socketPath: string, work: () => Promise<T>): Promise<T> {
  const lockPath = `${socketPath}.lock`;
  for (let waited = 0; ; waited += 50) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (recoveryLockIsStale(lockPath) || waited > 5000) rmQuiet(lockPath);
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await work();
  } finally {
    rmQuiet(lockPath);
  }
}

function recoveryLockIsStale(lockPath: string): boolean {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8'));
    if (Date.now() - statSync(lockPath).mtimeMs > 10_000) return true;
    if (!pid) return false; // being written right now
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

/** The held lock: serves orgctl requests (once a handler is set) until closed. */
export class DataDirLock {
  /** Each accepted connection until it closes: answered, given up by its client, or timed out. */
  private readonly connections = new Map<net.Socket, Promise<void>>();
  private handler!: Promise<ControlHandler>;
  private setHandler!: (h: ControlHandler) => void;

  private constructor(
    readonly socketPath: string,
    private readonly server: net.Server,
  ) {
    // Requests that arrive while the owner is still opening the database wait for it.
    this.handler = new Promise((resolve) => (this.setHandler = resolve));
    server.on('connection', (conn) => this.accept(conn));
  }

  /** Takes the lock, or returns null when another live process holds it. */
  static async tryAcquire(dataDir: string): Promise<DataDirLock | null> {
    ensureDataDir(dataDir);
    const socketPath = controlSocketPath(dataDir);
    const server = net.createServer();
    const lock = new DataDirLock(socketPath, server);
    try {
      await listen(server, socketPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      if (await answers(socketPath)) return null;
      const took = await withRecoveryLock(socketPath, async () => {
        if (await answers(socketPath)) return false;
        rmQuiet(socketPath); // stale: its owner died without closing it
        try {
          await listen(server, socketPath);
          return true;
        } catch (again) {
          if ((again as NodeJS.ErrnoException).code === 'EADDRINUSE') return false; // a fresh owner won the race
          throw again;
        }
      });
      if (!took) return null;
    }
    chmodSync(socketPath, 0o600);
    return lock;
  }

  /** Like tryAcquire, for the server: a held directory is a one-line start-up error. */
  static async acquire(dataDir: string): Promise<DataDirLock> {
    const lock = await DataDirLock.tryAcquire(dataDir);
    if (!lock)
      throw new DataDirInUseError(
        `DATA_DIR ${path.resolve(dataDir)} is in use by another orgd process (${SOCKET_NAME} answers)`,
      );
    return lock;
  }

  serve(handler: ControlHandler): void {
    this.setHandler(handler);
  }

  /**
   * Stops accepting (the socket file goes) and answers every connection already accepted, including one
   * whose request has not arrived yet: its client saw the owner alive and will not run the command itself.
   */
  async close(graceMs = 10_000): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.connections.values()), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const conn of this.connections.keys()) conn.destroy();
    await closed;
  }

  private accept(conn: net.Socket): void {
    this.connections.set(conn, new Promise((resolve) => conn.once('close', () => resolve())));
    conn.on('close', () => this.connections.delete(conn));
    conn.on('error', () => conn.destroy()); // the client went away; nothing to tell it
    // From this line on the client may rely on an answer; without it, it knows its command never ran.
    conn.write(`${GREETING}\n`);
    conn.setTimeout(REQUEST_TIMEOUT_MS, () => conn.destroy()); // lock probes connect and send nothing
    let buffer = '';
    conn.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES) return conn.destroy();
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      conn.off('data', onData);
      conn.setTimeout(0);
      void this.respond(conn, buffer.slice(0, end));
    };
    conn.on('data', onData);
  }

  private async respond(conn: net.Socket, line: string): Promise<void> {
    let result: OrgctlResult;
    try {
      const request = JSON.parse(line) as { argv?: unknown };
      if (!Array.isArray(request.argv) || !request.argv.every((a) => typeof a === 'string'))
        throw new Error('argv must be a list of strings');
      result = await (await this.handler)(request.argv as string[]);
    } catch (err) {
      result = {
        exitCode: 1,
        stdout: '',
        stderr: `orgctl: bad control request: ${(err as Error).message.split('\n')[0]}\n`,
      };
    }
    if (!conn.destroyed) conn.end(`${JSON.stringify(result)}\n`);
  }
}
