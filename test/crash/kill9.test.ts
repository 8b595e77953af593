import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DataDirLock } from '../../src/cli/data-dir-lock';
import { type Orm, openOrm } from '../../src/db';
import { engineName } from '../helpers/db';
import {
  ORGCTL,
  type ServerProcess,
  childEnv,
  emptyPostgresDatabase,
  freePort,
  httpGet,
  jsonOf,
  orgctl,
  startServer,
  tempDir,
} from '../helpers/processes';
import { SmtpReceiver } from '../helpers/smtp';

/**
 * The "Done when": kill -9 of the server during a burst of writes leaves no half-written
 * member or group, the server restarts on the same data, and an invitation that was in the outbox
 * before the kill is delivered afterwards. On PGlite the writes run inside the server (orgctl seed
 * over the control socket); on PostgreSQL orgctl writes directly, so its processes die with the server.
 */
const SEEDERS = 3;
const MEMBERS = 600; // far more than commit before the kill: the burst is cut off, never finished
const GROUPS = 100;

const dir = tempDir('orgd-crash');
const smtp = new SmtpReceiver();
let pg: { url: string; drop: () => Promise<void> } | null = null;
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill9();
  await smtp.stop();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function spawnSeeder(
  org: string,
  env: NodeJS.ProcessEnv,
): { proc: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const args = [
    ORGCTL,
    'seed',
    '--org',
    org,
    '--members',
    String(MEMBERS),
    '--groups',
    String(GROUPS),
    '--concurrency',
    '4',
    '--json',
  ];
  const proc = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (c) => (stderr += c));
  return { proc, done: new Promise((resolve) => proc.once('close', (code) => resolve({ code, stderr }))) };
}

/** Rows that only a torn write could produce; every query must count zero. */
const INVARIANTS: Record<string, string> = {
  'member without its audit event': `select count(*) from member m where m.source <> 'OWNER'
     and not exists (select 1 from audit_event a where a.target_id = m.id and a.type in ('member.provisioned', 'member.invited'))`,
  'member audit event without its member': `select count(*) from audit_event a where a.type = 'member.provisioned'
     and not exists (select 1 from member m where m.id = a.target_id)`,
  'group without its audit event': `select count(*) from member_group g
     where not exists (select 1 from audit_event a where a.target_id = g.id and a.type = 'group.created')`,
  'group audit event without its group': `select count(*) from audit_event a where a.type = 'group.created'
     and not exists (select 1 from member_group g where g.id = a.target_id)`,
  'group whose memberships differ from what its creation recorded': `select count(*) from member_group g
     join audit_event a on a.target_id = g.id and a.type = 'group.created'
     where (a.data->>'members')::int <> (select count(*) from group_membership gm where gm.group_id = g.id)`,
  'invited member without exactly one invitation e-mail': `select count(*) from member m where m.status = 'INVITED'
     and (m.invitation_token_hash is null or (select count(*) from outbox_message o where o.member_id = m.id) <> 1)`,
  'invitation e-mail without its member': `select count(*) from outbox_message o
     where not exists (select 1 from member m where m.id = o.member_id)`,
};

async function withDatabase<T>(work: (orm: Orm) => Promise<T>): Promise<T> {
  // On PGlite the test takes the directory's lock like any other owner would.
  const lock = pg ? null : await DataDirLock.acquire(dir);
  const orm = await openOrm(
    pg ? { kind: 'postgres', url: pg.url, dataDir: dir } : { kind: 'pglite-file', dataDir: dir },
    { max: 2 },
  );
  try {
    return await work(orm);
  } finally {
    await orm.close(true);
    await lock?.close();
  }
}

describe(`kill -9 during a burst of writes (${engineName()})`, () => {
  it('leaves whole rows only, restarts cleanly, and delivers the queued invitations', async () => {
    pg = await emptyPostgresDatabase();
    const smtpPort = await freePort(); // nothing listens there yet: SMTP is down during the burst
    const env = childEnv({
      DATA_DIR: dir,
      DATABASE_URL: pg?.url ?? '',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      PUBLIC_URL: 'http://orgd.test',
    });
    server = await startServer(env);
    const org = String(
      jsonOf(await orgctl(['org', 'create', '--name', 'Crash', '--owner-email', 'owner@crash.test', '--json'], env))
        .organizationId,
    );

    const seeders = Array.from({ length: SEEDERS }, () => spawnSeeder(org, env));
    // The dispatcher failing to reach SMTP proves that invitations have committed: kill soon after.
    await server.waitForOutput(/outbox message not delivered/, 30_000);
    expect(await httpGet(server.port, '/readyz')).toBe(200); // the burst does not stall the server
    await new Promise((r) => setTimeout(r, 300));
    await server.kill9();
    if (pg) for (const s of seeders) s.proc.kill('SIGKILL');
    const results = await Promise.all(seeders.map((s) => s.done));
    expect(results.some((r) => r.code !== 0)).toBe(true); // the burst was cut off, not finished
    for (const r of results.filter((x) => x.code !== 0 && x.stderr)) expect(r.stderr).toMatch(/^orgctl: [^\n]+\n$/);
    if (!pg) expect(existsSync(path.join(dir, 'orgd.sock'))).toBe(true); // left behind by kill -9

    await smtp.start(smtpPort);
    server = await startServer(env);
    expect(await httpGet(server.port, '/readyz')).toBe(200);
    // No write happens after the restart, so any seed invitation that arrives was queued before the kill.
    await smtp.waitFor(() => smtp.messages.some((m) => m.to.some((to) => to.endsWith('@seed.example'))), 30_000);
    expect(await server.stop()).toBe(0);
    server = undefined;

    await withDatabase(async (orm) => {
      const em = orm.em.fork();
      const count = async (sql: string) => Number((await em.execute(sql))[0].count);
      const members = await count(`select count(*) from member where source = 'SCIM'`);
      const groups = await count('select count(*) from member_group');
      expect(members).toBeGreaterThan(0);
      expect(members + groups).toBeLessThan(SEEDERS * (MEMBERS + GROUPS));
      const torn: Record<string, number> = {};
      for (const [name, sql] of Object.entries(INVARIANTS)) torn[name] = await count(sql);
      expect(torn).toEqual(Object.fromEntries(Object.keys(INVARIANTS).map((k) => [k, 0])));

      // Each delivered invitation was sent once, and what the outbox marks SENT is what arrived.
      const received = smtp.messages.flatMap((m) => m.to);
      expect(new Set(received).size).toBe(received.length);
      const sent: { recipient: string }[] = await em.execute(
        `select recipient from outbox_message where status = 'SENT'`,
      );
      expect(sent.map((r) => r.recipient).sort()).toEqual([...received].sort());
    });
  }, 120_000);
});
