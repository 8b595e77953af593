import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createContainer } from '../../src/container';
import { openOrm } from '../../src/db';
import { testPostgresUrl } from '../helpers/db';
import {
  type CliRun,
  type ServerProcess,
  childEnv,
  emptyPostgresDatabase,
  graphql,
  httpGet,
  jsonOf,
  orgctl,
  startServer,
  tempDir,
} from '../helpers/processes';

// With PostgreSQL orgctl connects directly (no socket, no lock), next to a running server or not.
const describePg = testPostgresUrl() ? describe : describe.skip;
if (!testPostgresUrl()) console.info('orgctl on PostgreSQL: skipped (set TEST_DATABASE_URL=postgres://...)');

let db: { url: string; drop: () => Promise<void> } | null = null;
let server: ServerProcess | undefined;
let dir = '';
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  db = await emptyPostgresDatabase();
  if (!db) return;
  dir = tempDir('orgd-cli-pg'); // where a socket would appear if orgctl wrongly used one
  env = childEnv({ DATABASE_URL: db.url, DATA_DIR: dir, PUBLIC_URL: 'http://orgd.test' });
});
afterAll(async () => {
  await server?.kill9();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const oneLine = (run: CliRun) => [run.code, run.stdout, run.stderr.split('\n').length];

describePg('orgctl on PostgreSQL', () => {
  it('on an empty database: migrates and prints the contract JSON; no socket involved', async () => {
    const created = jsonOf(
      await orgctl(
        ['org', 'create', '--name', 'Acme', '--owner-email', 'owner@acme.test', '--owner-name', 'Ada', '--json'],
        env,
      ),
    );
    expect(Object.keys(created).sort()).toEqual(['organizationId', 'ownerMemberId', 'ownerToken']);
    const org = String(created.organizationId);
    const scim = jsonOf(await orgctl(['scim', 'enable', '--org', org, '--provider', 'azure-ad', '--json'], env));
    expect(scim).toEqual({ scimUrl: `http://orgd.test/scim/v2/${org}`, apiKey: expect.stringMatching(/^scim_/) });
    expect(existsSync(path.join(dir, 'orgd.sock'))).toBe(false);

    const orm = await openOrm({ kind: 'postgres', url: db!.url, dataDir: '' }, { max: 2 });
    try {
      const { services } = createContainer(
        loadConfig({ LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv),
        orm,
        pino({ level: 'silent' }),
      );
      expect((await services.tokens.verify(String(created.ownerToken)))?.email).toBe('owner@acme.test');
      expect(await services.scimSettings.verifyKey(org, String(scim.apiKey))).toBe(true);
    } finally {
      await orm.close(true);
    }
  });

  it('next to a running server, commands run directly and concurrently', async () => {
    server = await startServer(env);
    expect(await httpGet(server.port, '/readyz')).toBe(200);
    expect(existsSync(path.join(dir, 'orgd.sock'))).toBe(false);
    const runs = await Promise.all([
      orgctl(['org', 'create', '--name', 'Beta', '--owner-email', 'owner@beta.test', '--json'], env),
      orgctl(['token', 'create', '--email', 'dev@beta.test', '--json'], env),
      orgctl(['token', 'create', '--email', 'ops@beta.test', '--json'], env),
    ]);
    expect(Object.keys(jsonOf(runs[0])).sort()).toEqual(['organizationId', 'ownerMemberId', 'ownerToken']);
    expect(Object.keys(jsonOf(runs[1]))).toEqual(['token']);
    const org = String(jsonOf(runs[0]).organizationId);
    const seen = await graphql(
      server.port,
      String(jsonOf(runs[0]).ownerToken),
      'query($id: ID!) { organization(id: $id) { id name } }',
      { id: org },
    );
    expect(seen).toEqual({ data: { organization: { id: org, name: 'Beta' } } });
    expect(Object.keys(jsonOf(await orgctl(['scim', 'rotate-key', '--org', org, '--json'], env))).sort()).toEqual([
      'apiKey',
      'scimUrl',
    ]);
    expect(jsonOf(await orgctl(['scim', 'disable', '--org', org, '--json'], env))).toEqual({ enabled: false });
    expect(server.output()).not.toMatch(/orgctl command/);
  });

  it('bad input and an unreachable database: one line, non-zero exit', async () => {
    const unreachable = new URL(db!.url);
    unreachable.port = '1';
    const [unknownOrg, badEmail, down] = await Promise.all([
      orgctl(['scim', 'disable', '--org', '6f1c1d52-4a0e-4c43-9d1e-3f2b7c1a9e10', '--json'], env),
      orgctl(['token', 'create', '--email', 'nope', '--json'], env),
      orgctl(['token', 'create', '--email', 'a@b.test', '--json'], { ...env, DATABASE_URL: unreachable.toString() }),
    ]);
    expect(oneLine(unknownOrg)).toEqual([1, '', 2]);
    expect(unknownOrg.stderr).toBe('orgctl: organization not found\n');
    expect(oneLine(badEmail)).toEqual([1, '', 2]);
    expect(oneLine(down)).toEqual([1, '', 2]);
    expect(down.stderr).toMatch(/^orgctl: .*ECONNREFUSED/);
  });
});
