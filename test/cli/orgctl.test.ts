import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  type CliRun,
  type ServerProcess,
  childEnv,
  graphql,
  httpGet,
  jsonOf,
  orgctl,
  startServer,
  tempDir,
} from '../helpers/processes';

// The built CLI as a user runs it, on an embedded PGlite directory: first with no server (orgctl opens
// the directory itself), then with a server owning it (orgctl talks to it over DATA_DIR/orgd.sock).
const dir = tempDir('orgd-cli');
const socket = path.join(dir, 'orgd.sock');
const env = childEnv({ DATA_DIR: dir, PUBLIC_URL: 'http://orgd.test' });
let server: ServerProcess | undefined;
let created: { organizationId: string; ownerMemberId: string; ownerToken: string };

afterAll(async () => {
  await server?.kill9();
  rmSync(dir, { recursive: true, force: true });
});

function expectOneLineError(run: CliRun, pattern: RegExp) {
  expect(run.code).not.toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^[^\n]+\n$/);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stderr).toMatch(pattern);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('orgctl on embedded PGlite', () => {
  it('with no server, one orgctl opens DATA_DIR (stale socket replaced), migrates, serves the others; exact contract JSON', async () => {
    // A socket left by a killed process must not block anyone.
    spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    expect(existsSync(socket)).toBe(true);

    // Three at once: one becomes the owner and opens PGlite, the other two are served over its socket.
    const [first, ...tokens] = await Promise.all([
      orgctl(['org', 'create', '--name', 'Acme', '--owner-email', 'owner@acme.test', '--json'], env),
      orgctl(['token', 'create', '--email', 'a@acme.test', '--json'], env),
      orgctl(['token', 'create', '--email', 'b@acme.test', '--json'], env),
    ]);
    for (const t of tokens) expect(Object.keys(jsonOf(t))).toEqual(['token']);
    const out = jsonOf(first);
    expect(Object.keys(out).sort()).toEqual(['organizationId', 'ownerMemberId', 'ownerToken']);
    expect(out.organizationId).toMatch(UUID);
    expect(out.ownerMemberId).toMatch(UUID);
    expect(out.ownerToken).toMatch(/^orgd_\S{20,}$/);
    created = out as typeof created;
    expect(existsSync(path.join(dir, 'pgdata'))).toBe(true);
    expect(existsSync(socket)).toBe(false); // the lock went with the process
  });

  it('bad configuration and bad usage: one line on stderr, non-zero exit, no database touched', async () => {
    const runs = await Promise.all([
      orgctl(['org', 'create', '--name', 'X', '--owner-email', 'a@b.test'], { ...env, PORT: 'abc' }),
      orgctl(['token', 'create', '--email', 'a@b.test'], { ...env, DATABASE_URL: 'mysql://x' }),
      orgctl(['frobnicate'], env),
      orgctl(['scim', 'enable', '--json'], env),
    ]);
    expectOneLineError(runs[0], /^orgctl: invalid configuration: PORT /);
    expectOneLineError(runs[1], /^orgctl: invalid configuration: DATABASE_URL must start with postgres:\/\//);
    expectOneLineError(runs[2], /^orgctl: unknown command 'frobnicate'/);
    expectOneLineError(runs[3], /^orgctl: required option '--org <id>' not specified/);
  });

  it('with the server running, commands go to it over an owner-only socket', async () => {
    server = await startServer(env);
    // npm start tells where the console is.
    await server.waitForOutput(/"msg":"console at http:\/\/orgd\.test\/"/, 5000);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(await httpGet(server.port, '/readyz')).toBe(200);
    const org = created.organizationId;
    // What the directly-opened orgctl wrote is the server's data now, and ownerToken is a GraphQL token.
    const seen = await graphql(
      server.port,
      created.ownerToken,
      'query($id: ID!) { organization(id: $id) { id name } }',
      { id: org },
    );
    expect(seen).toEqual({ data: { organization: { id: org, name: 'Acme' } } });
    const [enabled, token, second] = await Promise.all([
      orgctl(['scim', 'enable', '--org', org, '--provider', 'jumpcloud', '--json'], env),
      orgctl(['token', 'create', '--email', 'dev@acme.test', '--json'], env),
      orgctl(['org', 'create', '--name', 'Beta', '--owner-email', 'owner@beta.test', '--json'], env),
    ]);
    expect(jsonOf(enabled)).toEqual({
      scimUrl: `http://orgd.test/scim/v2/${org}`,
      apiKey: expect.stringMatching(/^scim_/),
    });
    expect(Object.keys(jsonOf(token))).toEqual(['token']);
    expect(Object.keys(jsonOf(second)).sort()).toEqual(['organizationId', 'ownerMemberId', 'ownerToken']);
    const rotated = jsonOf(await orgctl(['scim', 'rotate-key', '--org', org, '--json'], env));
    expect(Object.keys(rotated).sort()).toEqual(['apiKey', 'scimUrl']);
    expect(jsonOf(await orgctl(['scim', 'disable', '--org', org, '--json'], env))).toEqual({ enabled: false });
    const human = await orgctl(['token', 'create', '--email', 'dev@acme.test'], env);
    expect([human.code, human.stderr]).toEqual([0, '']);
    expect(human.stdout).toMatch(/^Access token for dev@acme.test, shown once: orgd_\S+\n$/);
    expect(server.output()).toMatch(/"command":"scim enable","exitCode":0,"msg":"orgctl command"/);
  });

  it('bad input answered by the server: one line, non-zero exit', async () => {
    const [unknownOrg, badEmail] = await Promise.all([
      orgctl(['scim', 'rotate-key', '--org', '6f1c1d52-4a0e-4c43-9d1e-3f2b7c1a9e10', '--json'], env),
      orgctl(['org', 'create', '--name', 'X', '--owner-email', 'not-an-email', '--json'], env),
    ]);
    expectOneLineError(unknownOrg, /^orgctl: organization not found\n$/);
    expectOneLineError(badEmail, /^orgctl: "not-an-email" is not a valid email address\n$/);
  });

  it('a second server refuses the held DATA_DIR in one line', async () => {
    const second = await startServer(env).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(second).toMatch(/server exited \(1\)/);
    expect(second).toMatch(/orgd failed to start: DATA_DIR \S+ is in use by another orgd process/);
    expect(await httpGet(server!.port, '/readyz')).toBe(200);
  });

  it('SIGTERM stops the server cleanly and releases DATA_DIR', async () => {
    expect(await server!.stop()).toBe(0);
    server = undefined;
    expect(existsSync(socket)).toBe(false); // the next orgctl or server may own it now
  });
});
