import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sendToOwner } from '../../src/cli/control-socket';
import { DataDirInUseError, DataDirLock } from '../../src/cli/data-dir-lock';
import { tempDir } from '../helpers/processes';

// The lock and the wire, without a database: fast, and the races are reproducible here.
const dirs: string[] = [];
const fresh = () => {
  const dir = tempDir('orgd-sock');
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A socket file whose process died without closing it, as after kill -9. */
function plantStaleSocket(dir: string): void {
  const socket = path.join(dir, 'orgd.sock');
  spawnSync(process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`,
  ]);
  expect(existsSync(socket)).toBe(true);
}

const echo = (argv: string[]) => Promise.resolve({ exitCode: 0, stdout: `${argv.join(' ')}\n`, stderr: '' });

/** What a connect(2) to the socket gives another user (`nobody`): the error code, or "connected". */
function connectAs(uid: number, socketPath: string): string {
  const script = `const s = require('net').connect(${JSON.stringify(socketPath)}); s.on('connect', () => { console.log('connected'); s.destroy(); }); s.on('error', (e) => console.log(e.code));`;
  const out = spawnSync(process.execPath, ['-e', script], { uid, gid: uid, encoding: 'utf8', cwd: '/' });
  return (out.stdout || out.stderr || String(out.error)).trim();
}

const NOBODY = 65534;
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('DATA_DIR permissions', () => {
  it('creates DATA_DIR (and missing parents) 0700 and tightens one of ours that is open to others', async () => {
    const base = fresh();
    const dir = path.join(base, 'nested', 'data');
    const lock = await DataDirLock.acquire(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.dirname(dir)).mode & 0o777).toBe(0o700);
    await lock.close();

    const loose = path.join(base, 'loose');
    mkdirSync(loose);
    chmodSync(loose, 0o755);
    await (await DataDirLock.acquire(loose)).close();
    expect(statSync(loose).mode & 0o777).toBe(0o700);

    // a shared sticky directory (like /tmp) is not ours to change
    const shared = path.join(base, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    await (await DataDirLock.acquire(shared)).close();
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
  });

  // Node cannot read a Unix socket peer's credentials (no SO_PEERCRED API): the file modes are the guard.
  (asRoot ? it : it.skip)(
    'another user cannot connect to the control socket, even when DATA_DIR is opened up',
    async () => {
      const base = fresh();
      chmodSync(base, 0o755); // let `nobody` reach DATA_DIR's parent
      const dir = path.join(base, 'data');
      const lock = await DataDirLock.acquire(dir);
      lock.serve(echo);
      try {
        expect(connectAs(NOBODY, lock.socketPath)).toBe('EACCES');
        // An operator loosens DATA_DIR while the server runs: the socket file's own 0600 still refuses.
        chmodSync(dir, 0o777);
        expect(connectAs(NOBODY, lock.socketPath)).toBe('EACCES');
        // The same call as the owning user does connect (the check above is not a broken script).
        expect(connectAs(process.getuid!(), lock.socketPath)).toBe('connected');
      } finally {
        await lock.close();
      }
    },
  );
});

describe('DATA_DIR lock and control socket', () => {
  it('has one holder; the socket is owner-only and goes away on close', async () => {
    const dir = fresh();
    const lock = await DataDirLock.acquire(dir);
    expect(statSync(lock.socketPath).mode & 0o777).toBe(0o600);
    expect(await DataDirLock.tryAcquire(dir)).toBeNull();
    await expect(DataDirLock.acquire(dir)).rejects.toThrow(DataDirInUseError);
    await expect(DataDirLock.acquire(dir)).rejects.toThrow(/^DATA_DIR \S+ is in use by another orgd process/);
    await lock.close();
    expect(existsSync(lock.socketPath)).toBe(false);
    const again = await DataDirLock.acquire(dir);
    await again.close();
  });

  it('a stale socket is replaced by exactly one of many concurrent takers', async () => {
    const dir = fresh();
    plantStaleSocket(dir);
    const takers = await Promise.all(Array.from({ length: 8 }, () => DataDirLock.tryAcquire(dir)));
    const held = takers.filter((t): t is DataDirLock => t !== null);
    expect(held).toHaveLength(1);
    expect(existsSync(path.join(dir, 'orgd.sock.lock'))).toBe(false);
    await held[0].close();
  });

  it('requests wait for the owner to be ready, then get its answer', async () => {
    const dir = fresh();
    expect(await sendToOwner(dir, ['x'])).toBeNull(); // nobody there
    plantStaleSocket(dir);
    expect(await sendToOwner(dir, ['x'])).toBeNull(); // only a stale socket
    const lock = await DataDirLock.acquire(dir);
    const pending = sendToOwner(dir, ['org', 'create']);
    await new Promise((r) => setTimeout(r, 50));
    lock.serve(echo);
    expect(await pending).toEqual({ exitCode: 0, stdout: 'org create\n', stderr: '' });
    await lock.close();
  });

  it('close() still answers a connection it accepted before the request arrived', async () => {
    const dir = fresh();
    const lock = await DataDirLock.acquire(dir);
    lock.serve(echo);
    const client = net.connect(lock.socketPath);
    let received = '';
    client.setEncoding('utf8').on('data', (c: string) => (received += c));
    await new Promise((r) => client.once('connect', r));
    await new Promise((r) => setTimeout(r, 50)); // accepted by the owner, nothing sent yet
    const closing = lock.close();
    client.write(`${JSON.stringify({ argv: ['late'] })}\n`);
    await closing;
    expect(received.split('\n').slice(0, 2)).toEqual([
      'orgd',
      JSON.stringify({ exitCode: 0, stdout: 'late\n', stderr: '' }),
    ]);
    client.destroy();
  });

  it('an owner that dies after accepting makes the client fail loudly, not retry', async () => {
    const dir = fresh();
    const lock = await DataDirLock.acquire(dir);
    lock.serve(() => new Promise(() => undefined)); // never answers
    const sent = sendToOwner(dir, ['seed']);
    await new Promise((r) => setTimeout(r, 100));
    await lock.close(50); // grace over: connections are dropped, as when the process is killed
    await expect(sent).rejects.toThrow(/closed the connection before answering; the command may or may not have run/);
  });

  it('rejects a malformed request in one line', async () => {
    const dir = fresh();
    const lock = await DataDirLock.acquire(dir);
    lock.serve(echo);
    const answer = await new Promise<string>((resolve) => {
      let data = '';
      const client = net.connect(lock.socketPath, () => client.write('{"argv": "not a list"}\n'));
      client.setEncoding('utf8').on('data', (c: string) => (data += c));
      client.on('close', () => resolve(data));
    });
    expect(JSON.parse(answer.split('\n')[1])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'orgctl: bad control request: argv must be a list of strings\n',
    });
    await lock.close();
  });
});
