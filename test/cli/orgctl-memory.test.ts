import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type ServerProcess, childEnv, jsonOf, orgctl, startServer, tempDir } from '../helpers/processes';

// DATABASE_URL=pglite://memory: the database lives inside the server, and its socket still lives in
// DATA_DIR, so `npm start` + `npx orgctl ...` works the same way.
const dir = tempDir('orgd-cli-mem');
const env = childEnv({ DATABASE_URL: 'pglite://memory', DATA_DIR: dir, PUBLIC_URL: 'http://orgd.test' });
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill9();
  rmSync(dir, { recursive: true, force: true });
});

describe('orgctl with pglite://memory', () => {
  it('without a server, says where the database is, in one line', async () => {
    const run = await orgctl(['org', 'create', '--name', 'Acme', '--owner-email', 'owner@acme.test', '--json'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^orgctl: no orgd server is running on DATA_DIR \S+; with DATABASE_URL=pglite:\/\/memory the database lives in the server[^\n]*\n$/,
    );
  });

  it('with the server running, org create and scim enable print the contract JSON', async () => {
    server = await startServer(env);
    expect(existsSync(path.join(dir, 'orgd.sock'))).toBe(true);
    expect(existsSync(path.join(dir, 'pgdata'))).toBe(false);
    const created = jsonOf(
      await orgctl(['org', 'create', '--name', 'Acme', '--owner-email', 'owner@acme.test', '--json'], env),
    );
    expect(Object.keys(created).sort()).toEqual(['organizationId', 'ownerMemberId', 'ownerToken']);
    const scim = jsonOf(
      await orgctl(['scim', 'enable', '--org', String(created.organizationId), '--staged', '--json'], env),
    );
    expect(scim).toEqual({
      scimUrl: `http://orgd.test/scim/v2/${created.organizationId}`,
      apiKey: expect.stringMatching(/^scim_/),
    });
    expect(await server.stop()).toBe(0);
    server = undefined;
    expect(existsSync(path.join(dir, 'orgd.sock'))).toBe(false);
  });
});
