import net from 'node:net';
import path from 'node:path';

/**
 * The embedded database has one owner. A Unix socket in DATA_DIR is both the lock and the
 * way in: whoever listens on it owns the PGlite directory and runs the orgctl commands of others
 * (data-dir-lock.ts). This is the wire: one JSON line {argv} in; a greeting line, then one JSON line
 * {exitCode, stdout, stderr} out.
 */
export const SOCKET_NAME = 'orgd.sock';

/** Sent by the owner as soon as it accepts a connection: from then on it owes the client an answer. */
export const GREETING = 'orgd';

export interface OrgctlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type ControlHandler = (argv: string[]) => Promise<OrgctlResult>;

// sun_path holds 108 bytes on Linux (104 on macOS); Node silently truncates a longer path and binds elsewhere.
const MAX_SOCKET_PATH_BYTES = 103;

export function controlSocketPath(dataDir: string): string {
  const socketPath = path.resolve(dataDir, SOCKET_NAME);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(
      `DATA_DIR ${path.resolve(dataDir)} is too long for its control socket (${socketPath} exceeds ${MAX_SOCKET_PATH_BYTES} bytes); use a shorter path`,
    );
  }
  return socketPath;
}

/** True when a process accepts connections on the socket. A hung owner counts as alive: never steal. */
export function answers(socketPath: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    probe.setTimeout(timeoutMs, () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * Sends argv to the directory's owner. Resolves null when nobody took the request (no socket, a stale
 * one, or an owner closing before it accepted us): the caller may then run it elsewhere. Rejects when
 * the owner accepted it and died before answering, since the command may or may not have run.
 */
export function sendToOwner(dataDir: string, argv: string[]): Promise<OrgctlResult | null> {
  const socketPath = controlSocketPath(dataDir);
  return new Promise((resolve, reject) => {
    const conn = net.connect(socketPath);
    let connected = false;
    let buffer = '';
    conn.setEncoding('utf8');
    conn.once('connect', () => {
      connected = true;
      conn.write(`${JSON.stringify({ argv })}\n`);
    });
    conn.on('data', (chunk: string) => (buffer += chunk));
    conn.on('error', (err: NodeJS.ErrnoException) => {
      // ECONNRESET before the connection opened: an owner shutting down reset the queued connection; nothing was sent.
      if (!connected && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET'))
        resolve(null);
      else if (!connected)
        reject(new Error(`cannot reach the orgd server at ${socketPath}: ${err.code ?? err.message}`));
    });
    conn.on('close', () => {
      if (!connected) return;
      const [greeting, answer, rest] = buffer.split('\n');
      if (greeting !== GREETING) return resolve(null);
      if (rest === undefined) {
        return reject(
          new Error('the orgd server closed the connection before answering; the command may or may not have run'),
        );
      }
      try {
        resolve(JSON.parse(answer) as OrgctlResult);
      } catch {
        reject(new Error('the orgd server sent an unreadable answer'));
      }
    });
  });
}
