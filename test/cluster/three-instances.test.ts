import { rmSync } from 'node:fs';
import { Client } from 'pg';
import {
  groupBody,
  groupLookupPath,
  listResources,
  person,
  resourceId,
  userBody,
  userLookupPath,
  PATCH_SCHEMA,
} from '../../bench/scim-payloads';
import { testPostgresUrl } from '../helpers/db';
import {
  type ServerProcess,
  childEnv,
  emptyPostgresDatabase,
  jsonOf,
  orgctl,
  sleep,
  startServer,
  tempDir,
} from '../helpers/processes';
import { RoundRobinProxy } from '../helpers/round-robin-proxy';
import { SmtpReceiver } from '../helpers/smtp';

/**
 * Several instances over one PostgreSQL, as docs/operations.md describes the deployment: three server processes
 * behind a round-robin proxy, an identity provider's initial sync through all of them, one instance killed with
 * SIGKILL mid-sync and started again while the IdP retries. The final state must equal what the IdP sent, every
 * invitation must reach its invitee exactly once, a rotated key must be refused by every instance, and a rate limit
 * must hold for the organization across the instances, not per instance.
 */
const USERS = Number(process.env.CLUSTER_USERS ?? 2000);
const GROUPS = 20;
const WORKERS = 12;
const KILL_AFTER_USERS = Math.round(USERS * 0.35);
const t0 = Date.now();
const phase = (name: string) =>
  process.env.CLUSTER_DEBUG && process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)}s ${name}\n`);

const usersOf = (group: number) => Array.from({ length: USERS }, (_, i) => i).filter((i) => i % GROUPS === group);
const deactivated = (i: number) => i % 25 === 0;
const groupName = (g: number) => `Team ${String(g).padStart(2, '0')}`;

interface Reply {
  status: number;
  body: any;
}

/** An IdP's HTTP client: network errors, 5xx and 429 are retried (after Retry-After) until `deadline`. */
function idpClient(port: () => number, key: () => string) {
  let retries = 0;
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port()}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key()}`,
            'content-type': 'application/scim+json',
            'user-agent': 'JumpCloud-SCIM',
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await res.text();
        if (res.status < 500 && res.status !== 429) return { status: res.status, body: text ? JSON.parse(text) : null };
        retries++;
        await sleep(res.status === 429 ? Number(res.headers.get('retry-after') ?? 1) * 1000 : 100);
      } catch {
        retries++;
        await sleep(100);
      }
      if (Date.now() > deadline) throw new Error(`${method} ${path}: no answer within 60 s`);
    }
  };
  return { call, retries: () => retries };
}

async function inPool<T>(items: T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

const pg = emptyPostgresDatabase();
const smtp = new SmtpReceiver();
const dirs: string[] = [];
const servers: (ServerProcess | undefined)[] = [];
let proxy: RoundRobinProxy | undefined;

afterAll(async () => {
  await Promise.all(servers.map((s) => s?.kill9()));
  await proxy?.stop();
  await smtp.stop();
  await (await pg)?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// PGlite is one process's database: several instances need PostgreSQL.
const describeOnPostgres = testPostgresUrl() ? describe : describe.skip;
if (!testPostgresUrl()) console.warn('three-instance test skipped: it needs PostgreSQL (TEST_DATABASE_URL)');

describeOnPostgres('three instances on one PostgreSQL', () => {
  it('syncs through all of them, survives a kill -9 mid-sync, delivers every invitation once, and agrees on keys and limits', async () => {
    const db = (await pg)!;
    const smtpPort = await smtp.start();
    const baseEnv = (overrides: Record<string, string> = {}) => {
      const dir = tempDir('orgd-cluster');
      dirs.push(dir);
      return childEnv({
        DATABASE_URL: db.url,
        DATA_DIR: dir,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        PUBLIC_URL: 'http://orgd.test',
        HOST: '127.0.0.1',
        ...overrides,
      });
    };
    // The sync must not wait on the limit; its own phase below checks the limit with a small budget.
    const syncLimits = { SCIM_RATE_LIMIT_PER_SECOND: '1000000', SCIM_RATE_LIMIT_BURST: '1000000' };
    // Started one after the other: each runs the migrations under the advisory lock, the first one applies them.
    for (let i = 0; i < 3; i++) servers[i] = await startServer(baseEnv(syncLimits));
    const ports = servers.map((s) => s!.port);
    phase('servers up');
    proxy = new RoundRobinProxy(ports);
    await proxy.start();

    const cli = baseEnv();
    const createdOrg = jsonOf(
      await orgctl(['org', 'create', '--name', 'Cluster', '--owner-email', 'owner@cluster.test', '--json'], cli),
    );
    const org = String(createdOrg.organizationId);
    let key = String(
      jsonOf(await orgctl(['scim', 'enable', '--org', org, '--provider', 'jumpcloud', '--json'], cli)).apiKey,
    );
    // This sync deactivates more users than the deprovisioning safeguard lets through by default: the owner turns it
    // off first, as before an expected mass deprovisioning (the safeguard has tests of its own).
    const safeguardOff = await fetch(`http://127.0.0.1:${proxy.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${String(createdOrg.ownerToken)}` },
      body: JSON.stringify({
        query: `mutation($input: ScimSettingsUpdateInput!) { scimSettingsUpdate(input: $input) {
          scim { deprovisioningSafeguard { enabled } } userErrors { message } } }`,
        variables: { input: { organizationId: org, deprovisioningSafeguard: { enabled: false } } },
      }),
    });
    expect(await safeguardOff.json()).toMatchObject({
      data: { scimSettingsUpdate: { scim: { deprovisioningSafeguard: { enabled: false } }, userErrors: [] } },
    });
    const idp = idpClient(
      () => proxy!.port,
      () => key,
    );
    const base = `/scim/v2/${org}`;

    // Users: look up, create when absent; a 409 means an earlier attempt committed before its answer was lost.
    const ids: string[] = new Array(USERS);
    let created = 0;
    let restarted: Promise<void> | undefined;
    await inPool(
      Array.from({ length: USERS }, (_, i) => i),
      WORKERS,
      async (i) => {
        const p = person('cluster', i);
        const found = listResources((await idp.call('GET', userLookupPath(org, p.userName))).body);
        if (found?.ids.length) {
          ids[i] = found.ids[0];
        } else {
          const res = await idp.call('POST', `${base}/Users`, userBody(p));
          if (res.status === 201) ids[i] = resourceId(res.body)!;
          else if (res.status === 409)
            ids[i] = listResources((await idp.call('GET', userLookupPath(org, p.userName))).body)!.ids[0];
          else throw new Error(`POST /Users answered ${res.status}: ${JSON.stringify(res.body)}`);
        }
        if (++created === KILL_AFTER_USERS) {
          // Mid-sync: SIGKILL one instance (requests in flight on it are lost) and start it again on its port.
          restarted = (async () => {
            await servers[1]!.kill9();
            await sleep(1000);
            servers[1] = await startServer(baseEnv({ ...syncLimits, PORT: String(ports[1]) }));
          })();
        }
      },
    );
    await restarted;
    expect(ids.every((id) => typeof id === 'string')).toBe(true);

    phase('users done');
    // Groups with their members; a 409 means the group exists: its member set is replaced, as IdPs reconcile.
    await inPool(
      Array.from({ length: GROUPS }, (_, g) => g),
      4,
      async (g) => {
        const members = usersOf(g).map((i) => ids[i]);
        const res = await idp.call('POST', `${base}/Groups`, groupBody(groupName(g), `grp-${g}`, members));
        if (res.status === 201) return;
        expect(res.status).toBe(409);
        const id = listResources((await idp.call('GET', groupLookupPath(org, groupName(g)))).body)!.ids[0];
        const replace = {
          schemas: [PATCH_SCHEMA],
          Operations: [{ op: 'replace', path: 'members', value: members.map((value) => ({ value })) }],
        };
        expect((await idp.call('PATCH', `${base}/Groups/${id}`, replace)).status).toBeLessThan(300);
      },
    );

    phase('groups done');
    // Deprovisioning: deactivate some users and take them out of their group.
    const groupIds = new Map<number, string>();
    for (let g = 0; g < GROUPS; g++)
      groupIds.set(g, listResources((await idp.call('GET', groupLookupPath(org, groupName(g)))).body)!.ids[0]);
    await inPool(Array.from({ length: USERS }, (_, i) => i).filter(deactivated), WORKERS, async (i) => {
      const off = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'active', value: false }] };
      expect((await idp.call('PATCH', `${base}/Users/${ids[i]}`, off)).status).toBeLessThan(300);
      const out = { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove', path: `members[value eq "${ids[i]}"]` }] };
      expect((await idp.call('PATCH', `${base}/Groups/${groupIds.get(i % GROUPS)}`, out)).status).toBeLessThan(300);
    });

    phase('deprovisioned');
    // Every instance served part of the sync, and the killed one lost requests that the IdP had to retry.
    for (const port of ports) expect(proxy.connections.get(port) ?? 0).toBeGreaterThan(0);
    expect(idp.retries()).toBeGreaterThan(0);

    // The final state is exactly what the IdP sent.
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows;
      const members = await rows(
        `select user_name, status from member where organization_id = $1 and source = 'SCIM'`,
        [org],
      );
      expect(members).toHaveLength(USERS);
      const expectedStatus = new Map(
        Array.from({ length: USERS }, (_, i) => [
          person('cluster', i).userName,
          deactivated(i) ? 'REVOKED' : 'INVITED',
        ]),
      );
      expect(new Map(members.map((m) => [m.user_name, m.status]))).toEqual(expectedStatus);
      const groups = await rows(
        `select g.display_name, coalesce(array_agg(m.user_name) filter (where m.id is not null), '{}') as members
           from member_group g left join group_membership gm on gm.group_id = g.id left join member m on m.id = gm.member_id
          where g.organization_id = $1 group by g.display_name`,
        [org],
      );
      const expectedGroups = new Map(
        Array.from({ length: GROUPS }, (_, g) => [
          groupName(g),
          usersOf(g)
            .filter((i) => !deactivated(i))
            .map((i) => person('cluster', i).userName)
            .sort(),
        ]),
      );
      expect(new Map(groups.map((g) => [g.display_name, [...g.members].sort()]))).toEqual(expectedGroups);

      phase('state checked');
      // Every invitee gets its invitation exactly once: one message per member (a resend after a crash between the
      // relay's acceptance and the SENT mark carries the same Message-ID, which receivers drop).
      const messageIdOf = (raw: string) => /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1];
      const distinct = () => new Map(smtp.messages.map((m) => [messageIdOf(m.raw), m.to[0]]));
      await smtp.waitFor(() => distinct().size >= USERS, 90_000);
      const expectOneMessageIdPerRecipient = () => {
        const byRecipient = new Map<string, Set<string | undefined>>();
        for (const m of smtp.messages)
          byRecipient.set(m.to[0], (byRecipient.get(m.to[0]) ?? new Set()).add(messageIdOf(m.raw)));
        expect(byRecipient.size).toBe(USERS);
        expect([...byRecipient.values()].every((messageIds) => messageIds.size === 1)).toBe(true);
      };
      expectOneMessageIdPerRecipient();
      await sleep(1500); // no late duplicate arrives
      expect(distinct().size).toBe(USERS);
      // A message the killed instance handed to the relay but had not yet marked SENT stays leased: once the lease
      // (60 s) runs out a surviving instance sends it again, with the same Message-ID, and marks it SENT.
      const unsent = async (): Promise<number> =>
        (
          await rows(`select count(*)::int as n from outbox_message where organization_id = $1 and status <> 'SENT'`, [
            org,
          ])
        )[0].n;
      for (const deadline = Date.now() + 75_000; (await unsent()) > 0 && Date.now() < deadline;) await sleep(500);
      expect(await unsent()).toBe(0);
      expectOneMessageIdPerRecipient();
      expect(distinct().size).toBe(USERS);
    } finally {
      await client.end();
    }

    phase('mail checked');
    // A rotated key is refused by every instance at once, and the new one accepted by every instance.
    const oldKey = key;
    key = String(jsonOf(await orgctl(['scim', 'rotate-key', '--org', org, '--json'], cli)).apiKey);
    const statusOn = async (port: number, presented: string) =>
      (
        await fetch(`http://127.0.0.1:${port}${base}/Users?count=1`, {
          headers: { authorization: `Bearer ${presented}` },
        })
      ).status;
    for (const port of ports) {
      expect(await statusOn(port, oldKey)).toBe(401);
      expect(await statusOn(port, key)).toBe(200);
    }

    // The organization's budget is one budget across the instances: restart them with a small bucket (a burst of
    // `budget`, refilled at one request per second) and spend it through the proxy within a few seconds.
    await Promise.all(servers.map((s) => s!.stop()));
    const budget = 150;
    const smallBucket = { SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: String(budget) };
    for (let i = 0; i < 3; i++) servers[i] = await startServer(baseEnv({ ...smallBucket, PORT: String(ports[i]) }));
    phase('restarted with budget');
    let accepted = 0;
    let limited = 0;
    await inPool(
      Array.from({ length: budget * 3 }, (_, i) => i),
      8,
      async () => {
        const status = await statusOn(proxy!.port, key);
        if (status === 200) accepted++;
        else if (status === 429) limited++;
      },
    );
    expect(accepted + limited).toBe(budget * 3);
    expect(Math.abs(accepted - budget)).toBeLessThanOrEqual(budget * 0.1);
  }, 480_000);
});
