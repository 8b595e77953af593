import { chmodSync, mkdirSync, statSync } from 'node:fs';

/** Owner-only: DATA_DIR holds the embedded database and the control socket through which orgctl commands run. */
export const DATA_DIR_MODE = 0o700;
const STICKY = 0o1000;

/**
 * Creates DATA_DIR (and any missing parent) with mode 0700. An existing directory that this user owns and that
 * lets others in (e.g. 0755 from an older version or a default umask) is tightened to 0700 as well. A directory
 * owned by someone else, or a shared sticky one like /tmp, is left as it is: changing it is not ours to do, and
 * the socket file itself is 0600 (see DataDirLock) so other users still cannot connect to it.
 */
export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  const stat = statSync(dir);
  const ownedByUs = typeof process.getuid === 'function' && stat.uid === process.getuid();
  if (ownedByUs && (stat.mode & 0o077) !== 0 && (stat.mode & STICKY) === 0) chmodSync(dir, DATA_DIR_MODE);
}
