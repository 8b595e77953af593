import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type BenchDatabase,
  type BenchOrganization,
  analyze,
  migrateAndCreateOrganizations,
  openDatabase,
  postgresVersion,
  seedOrganization,
  withClient,
} from './database';
import { type LoadResult } from './load';
import { type BenchOptions, type Scenario, USAGE, UsageError, parseOptions, runs } from './options';
import {
  type Child,
  RssMonitor,
  cpuMs,
  cpuSeconds,
  postgresCpuSpan,
  withCpu,
  freePort,
  killAllChildrenSync,
  sleep,
  startNode,
  stopAllChildren,
  tail,
} from './processes';
import { type Report, type Row, load1, machine, mb, render, writeJson } from './report';
import { evaluateTargets, fmtMs } from './targets';
import { type ScimTarget, createLoad, deactivateLoad, lookupLoad, membersPageLoad } from './scenarios';
import { checkBuild } from './build-check';
import { median } from './stats';
import { type SyncResult, runGroupPatch, runSync } from './sync';
import { runRoleMapping } from './role-mapping';
import { CountingReceiver, attachEndpoint, waitForDrain, waitForMailDrain } from './webhook-sync';
import { RoundRobinProxy } from '../test/helpers/round-robin-proxy';
import { peerInstalled } from './peer-server';

const GRAPHQL_CONNECTIONS = 8;
const started = Date.now();
const loadAtStart = load1();
const log = (message: string) =>
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
const count = (n: number) => n.toLocaleString('en-US');

function loadRow(id: string, scenario: string, r: LoadResult, notes: string[] = []): Row {
  // Every connection has one request in flight when a timed run ends; worth a note only when the server
  // answered fewer requests than that (slower than the run).
  if (r.unanswered > r.recorder.total) notes.push(`${r.unanswered} unanswered at the end`);
  return {
    id,
    scenario,
    rps: r.recorder.ok ? r.rps : 0,
    p50: r.recorder.percentile(50),
    p99: r.recorder.percentile(99),
    requests: r.recorder.total,
    errors: r.recorder.errors,
    ratio: null,
    target: null,
    notes: notes.filter(Boolean).join('; '),
    statuses: r.recorder.statusSummary(),
    seconds: r.seconds,
  };
}

/** The row of a scenario left out (by --only, or a peer that is not installed): no figures, judged "n/a". */
function skippedRow(id: string, scenario: string, why = 'skipped (--only)'): Row {
  return {
    id,
    scenario,
    rps: null,
    p50: null,
    p99: null,
    requests: 0,
    errors: 0,
    ratio: null,
    target: null,
    notes: why,
    statuses: '',
    seconds: 0,
  };
}

/** Ours / the peer's requests per second, in the service row's notes. */
function versusPeer(ours: Row, peer: Row): void {
  const r = ratio(ours, peer);
  if (r !== null) ours.notes = [ours.notes, `${r.toFixed(2)}× the peer`].filter(Boolean).join('; ');
}

/** Ours / raw, only when both served successful responses. */
function ratio(ours: Row, raw: Row): number | null {
  return ours.rps && raw.rps ? ours.rps / raw.rps : null;
}

async function bench(opts: BenchOptions, tmp: string, setDb: (db: BenchDatabase) => void): Promise<Report> {
  const distRoot = path.resolve(__dirname, '..');
  const serverScript = path.join(distRoot, 'src/main.js');
  const rawScript = path.join(__dirname, 'raw-server.js');
  const peerScript = path.join(__dirname, 'peer-server.js');

  log(opts.database ? 'using the given database' : `creating database orgd_bench_${process.pid}`);
  const db = await openDatabase(opts.database, opts.adminUrl);
  setDb(db);
  const pgVersion = await postgresVersion(db.url);

  log('migrating; creating organizations (owner + token) and enabling SCIM through the services');
  const tag = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const [mainOrg, smallOrg, syncOrg, webhookSyncOrg, rolesOrg] = await migrateAndCreateOrganizations(db.url, [
    `Bench Org ${tag}`,
    `Bench Small Org ${tag}`,
    `Bench Sync Org ${tag}`,
    `Bench Webhook Sync Org ${tag}`,
    `Bench Roles Org ${tag}`,
  ]);

  log(
    `seeding ${count(opts.members)} members, ${count(opts.groups)} groups (+${opts.groupPatch.repeats} groups of ${count(opts.groupPatch.size)})`,
  );
  const seed = await seedOrganization(db.url, mainOrg.id, {
    members: opts.members,
    groups: opts.groups,
    domain: `acme-${tag}.example`,
    bigGroups: opts.groupPatch.repeats,
    bigGroupSize: opts.groupPatch.size,
    bigGroupAdd: opts.groupPatch.add,
    sample: 5000,
    spare: 2000,
  });
  log(`  ${count(seed.memberships)} memberships in ${seed.seconds.toFixed(1)} s`);
  const smallSeed = await seedOrganization(db.url, smallOrg.id, {
    members: opts.smallMembers,
    groups: 10,
    domain: `small-${tag}.example`,
    bigGroups: 0,
    bigGroupSize: 0,
    bigGroupAdd: 0,
    sample: 1000,
    spare: 0,
  });
  const rm = opts.roleMapping;
  // One SCIM group holding every member of an organization of its own: a mapping on it recomputes them all.
  const rolesSeed = await seedOrganization(db.url, rolesOrg.id, {
    members: rm.size,
    groups: 10,
    domain: `roles-${tag}.example`,
    bigGroups: 1,
    bigGroupSize: rm.size,
    bigGroupAdd: 0,
    sample: 0,
    spare: 0,
  });
  await analyze(db.url);

  const want = (scenario: Scenario) => runs(opts, scenario);
  const port = await freePort();
  const webhookSecretKey = randomBytes(32).toString('base64');
  const serverEnv = (publicPort: number) => ({
    DATABASE_URL: db.url,
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${publicPort}`,
    DATA_DIR: path.join(tmp, 'data'),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    SCIM_RATE_LIMIT_PER_SECOND: '100000000',
    SCIM_RATE_LIMIT_BURST: '100000000',
    GRAPHQL_RATE_LIMIT: '100000000',
    // The webhook scenario's receiver listens on loopback.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_SECRET_KEY: webhookSecretKey,
  });
  log(`starting the server (node dist/src/main.js) on port ${port}`);
  const server: Child = await startNode(
    'server',
    serverScript,
    serverEnv(port),
    port,
    path.join(tmp, 'server.log'),
    '/readyz',
    // The profile is written when the server exits (SIGTERM at the end of the run).
    opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.cpuProfDir)}`] : [],
  );
  const rss = new RssMonitor(server.proc.pid!);
  await sleep(500);
  const afterStart = rss.sample();

  const rawPort = await freePort();
  log(`starting the raw baseline server (node:http + pg) on port ${rawPort}`);
  const raw = await startNode(
    'raw-server',
    rawScript,
    { DATABASE_URL: db.url, POOL_MAX: process.env.DB_POOL_MAX || '10' },
    rawPort,
    path.join(tmp, 'raw-server.log'),
    '/readyz',
  );
  const rawRss = new RssMonitor(raw.proc.pid!);
  let peer: Child | null = null;
  if (peerInstalled() && (want('lookup') || want('create'))) {
    const peerPort = await freePort();
    log(`starting the peer server (SCIMMY + Express + pg) on port ${peerPort}`);
    peer = await startNode(
      'peer-server',
      peerScript,
      { DATABASE_URL: db.url, POOL_MAX: process.env.DB_POOL_MAX || '10', PEER_KEY: mainOrg.scimKey },
      peerPort,
      path.join(tmp, 'peer-server.log'),
      '/readyz',
    );
  }
  const peerTarget: ScimTarget | null = peer && { port: peer.port, org: mainOrg.id, key: mainOrg.scimKey };
  let peerRuns = 0;
  const notInstalled = 'peer not installed (npm install -D --save-exact scimmy@1.3.5 scimmy-routers@1.3.2)';

  const ours = (org: BenchOrganization): ScimTarget => ({ port, org: org.id, key: org.scimKey });
  const rawTarget: ScimTarget = { port: rawPort, org: mainOrg.id, key: 'unused' };
  const D = opts.duration;
  const C = opts.connections;
  const warm = opts.smoke ? 0 : 2; // smoke keeps the harness working; its figures are not read
  const peerLoad = async (id: string, scenario: string, run: (seconds: number) => Promise<LoadResult>) => {
    if (warm) await run(warm);
    const measured = await withCpu(peer!.proc.pid!, () => run(D));
    return loadRow(id, scenario, measured.result, [`${C} conns, bearer auth, schema-validated`, measured.note]);
  };
  const rows: Row[] = [];
  const sizeLabel = (n: number) => `${count(n)} members`;

  const serverPid = server.proc.pid!;

  // (a) lookups, with a short unrecorded warm-up of each server first (JIT, pools, plan caches).
  const lookupRows = async () => {
    log(
      `(a) SCIM lookup ${warm ? `warm-up ${warm} s, then ` : ''}${D} s at ${C} connections, ${sizeLabel(opts.members)}`,
    );
    if (warm) await lookupLoad(ours(mainOrg), seed.userNames, C, warm);
    const lookupMeasured = await withCpu(serverPid, () => lookupLoad(ours(mainOrg), seed.userNames, C, D));
    const lookupBig = loadRow('lookup', `SCIM lookup userName eq (${sizeLabel(opts.members)})`, lookupMeasured.result, [
      `${C} conns, 50% hits`,
      lookupMeasured.note,
    ]);
    log(`(a) SCIM lookup ${D} s, ${sizeLabel(opts.smallMembers)}`);
    const lookupSmall = loadRow(
      'lookup-small',
      `SCIM lookup userName eq (${sizeLabel(opts.smallMembers)})`,
      await lookupLoad(ours(smallOrg), smallSeed.userNames, C, D),
      [`${C} conns, 50% hits`],
    );
    log(`(f) raw lookup ${warm ? `warm-up ${warm} s, then ` : ''}${D} s`);
    if (warm) await lookupLoad(rawTarget, seed.userNames, C, warm);
    const rawLookupMeasured = await withCpu(raw.proc.pid!, () => lookupLoad(rawTarget, seed.userNames, C, D));
    const lookupRaw = loadRow(
      'raw-lookup',
      `raw baseline lookup (pg, same SQL; ${sizeLabel(opts.members)})`,
      rawLookupMeasured.result,
      [`${C} conns, no auth/framework`, rawLookupMeasured.note],
    );
    lookupBig.ratio = ratio(lookupBig, lookupRaw);
    const lookupPeer = peerTarget
      ? await peerLoad(
          'peer-lookup',
          `peer lookup (SCIMMY + Express, same SQL; ${sizeLabel(opts.members)})`,
          (seconds) => lookupLoad(peerTarget, seed.userNames, C, seconds),
        )
      : skippedRow('peer-lookup', 'peer lookup (SCIMMY + Express)', notInstalled);
    versusPeer(lookupBig, lookupPeer);
    return { lookupBig, lookupSmall, lookupRaw, lookupPeer };
  };
  const { lookupBig, lookupSmall, lookupRaw, lookupPeer } = want('lookup')
    ? await lookupRows()
    : {
        lookupBig: skippedRow('lookup', 'SCIM lookup userName eq'),
        lookupSmall: skippedRow('lookup-small', 'SCIM lookup userName eq (small)'),
        lookupRaw: skippedRow('raw-lookup', 'raw baseline lookup'),
        lookupPeer: skippedRow('peer-lookup', 'peer lookup (SCIMMY + Express)'),
      };
  rows.push(lookupBig, lookupSmall, lookupRaw, lookupPeer);

  // (e) GraphQL members pages with groups.
  if (want('page')) log(`(e) GraphQL members pages ${D} s at ${GRAPHQL_CONNECTIONS} connections, both sizes`);
  if (warm && want('page')) await membersPageLoad(port, mainOrg.id, mainOrg.ownerToken, GRAPHQL_CONNECTIONS, warm);
  const pages = async (id: string, label: string, org: BenchOrganization) => {
    const measured = await withCpu(serverPid, () =>
      membersPageLoad(port, org.id, org.ownerToken, GRAPHQL_CONNECTIONS, D),
    );
    const r = measured.result;
    return loadRow(id, `GraphQL members(first: 100) + groups (${label})`, r, [
      `${GRAPHQL_CONNECTIONS} conns`,
      measured.note.replace('/req', '/page'),
      `${count(r.walk.pages)} pages, ${r.walk.completedWalks} full walks`,
      r.walk.firstError ? `first error: ${r.walk.firstError.slice(0, 80)}` : '',
    ]);
  };
  const pageBig = want('page')
    ? await pages('page', sizeLabel(opts.members), mainOrg)
    : skippedRow('page', 'GraphQL members(first: 100) + groups');
  const pageSmall = want('page')
    ? await pages('page-small', sizeLabel(opts.smallMembers), smallOrg)
    : skippedRow('page-small', 'GraphQL members(first: 100) + groups (small)');
  rows.push(pageBig, pageSmall);

  // (b) creates, then the deprovisioning wave over the users just created.
  const createRows = async () => {
    log(`(b) SCIM POST /Users ${D} s at ${C} connections`);
    const createMeasured = await withCpu(serverPid, () => createLoad(ours(mainOrg), `wave-${tag}`, C, D));
    const created = createMeasured.result;
    const createRow = loadRow('create', 'SCIM POST /Users', created, [
      `${C} conns, ${count(created.ids.length)} created`,
      createMeasured.note,
    ]);
    const waveIds = created.ids.length ? created.ids : seed.spareMemberIds;
    log(
      `(b) SCIM PATCH active=false on ${count(waveIds.length)} ${created.ids.length ? 'created' : 'seeded (no create succeeded)'} users`,
    );
    const wave = await deactivateLoad(ours(mainOrg), waveIds, C, D * 1.5);
    const waveRow = loadRow('deactivate', 'SCIM PATCH active=false (deprovisioning)', wave, [
      `${C} conns, ${count(wave.recorder.total)} of ${count(waveIds.length)} ${created.ids.length ? 'created' : 'seeded'} users`,
    ]);
    log(`(f) raw create ${warm ? `warm-up ${warm} s, then ` : ''}${D} s`);
    if (warm) await createLoad(rawTarget, `rawwarm-${tag}`, C, warm);
    const rawCreateMeasured = await withCpu(raw.proc.pid!, () => createLoad(rawTarget, `raw-${tag}`, C, D));
    const createRaw = loadRow('raw-create', 'raw baseline create (pg insert)', rawCreateMeasured.result, [
      `${C} conns, one insert, no tx/audit`,
      rawCreateMeasured.note,
    ]);
    createRow.ratio = ratio(createRow, createRaw);
    const createPeer = peerTarget
      ? await peerLoad('peer-create', 'peer create (SCIMMY + Express, pg insert)', (seconds) =>
          createLoad(peerTarget, `peer${peerRuns++}-${tag}`, C, seconds),
        )
      : skippedRow('peer-create', 'peer create (SCIMMY + Express)', notInstalled);
    versusPeer(createRow, createPeer);
    return { createRow, waveRow, createRaw, createPeer };
  };
  const { createRow, waveRow, createRaw, createPeer } = want('create')
    ? await createRows()
    : {
        createRow: skippedRow('create', 'SCIM POST /Users'),
        waveRow: skippedRow('deactivate', 'SCIM PATCH active=false (deprovisioning)'),
        createRaw: skippedRow('raw-create', 'raw baseline create'),
        createPeer: skippedRow('peer-create', 'peer create (SCIMMY + Express)'),
      };
  rows.push(createRow, waveRow, createRaw, createPeer);

  // (c) sync cycles, each on fresh names, into an organization that starts empty; RSS after each.
  // (h) between two of them, the same sync into another empty organization with one webhook endpoint attached (a
  // local receiver answering 204 at once), then until its webhook outbox has drained: the sync's cost of announcing
  // every change, and how fast the dispatcher delivers. Consecutive syncs differ by 10 % and more on this machine
  // (the first is the slowest), so the webhook sync is judged against the mean of the plain syncs just before and
  // just after it, which cancels a steady drift.
  const afterSync: number[] = [];
  const syncRows: Row[] = [];
  const budgetEnd = started + opts.budgetSeconds * 1000;
  const s = opts.sync;
  const plainCycles = want('sync') ? s.cycles : 0;
  const webhookAfterCycle = want('webhook') ? Math.min(2, plainCycles) : null;
  const totalSyncs = plainCycles + (webhookAfterCycle === null ? 0 : 1);
  let syncsDone = 0;
  // A full run never stops a sync short of its 60 s target (the cap's floor): a stopped sync has no wall time to
  // judge, nor to compare the webhook sync with. The budget only shares out what is left above that.
  const syncCap = () => {
    const reserve = (opts.smoke ? 10 : 45) * 1000; // group PATCH, cleanup
    const share = (budgetEnd - Date.now() - reserve) / 1000 / Math.max(1, totalSyncs - syncsDone + 1);
    return Math.max(opts.smoke ? 10 : 90, Math.min(opts.smoke ? 60 : 180, share));
  };
  // Every sync starts with the mail outbox drained: the previous sync's invitations, sent after it, would otherwise
  // share the server with the next one, unevenly.
  const quietStart = async () => {
    const waiting = await waitForMailDrain(db.url, opts.smoke ? 15 : 60);
    if (waiting) log(`    waited for ${count(waiting)} invitation e-mails of the previous sync to go out`);
  };
  const plainSync = async (cycle: number) => {
    await quietStart();
    const cap = syncCap();
    log(
      `(c) sync cycle ${cycle}/${s.cycles}: ${count(s.users)} users, ${s.groups} groups of ${s.groupSize}, ${s.clients} clients (cap ${cap.toFixed(0)} s)`,
    );
    const cpuBefore = cpuMs(serverPid);
    const dbCpuSpent = postgresCpuSpan();
    const r = await runSync(ours(syncOrg), s, `sync${cycle}-${tag}`, cap);
    const cpu = cpuSeconds(cpuMs(serverPid) - cpuBefore);
    const dbCpu = cpuSeconds(dbCpuSpent());
    syncsDone++;
    await sleep(500);
    afterSync.push(mb(rss.sample()));
    syncRows.push(
      syncRow(`sync-${cycle}`, `sync cycle ${cycle}: ${count(s.users)} users + ${s.groups} groups`, r, s, cap, [
        `server CPU ${cpu}, database CPU ${dbCpu}`,
      ]),
    );
  };
  const webhookSync = async () => {
    const receiver = new CountingReceiver();
    const receiverPort = await receiver.start();
    await attachEndpoint(port, webhookSyncOrg.id, webhookSyncOrg.ownerToken, `http://127.0.0.1:${receiverPort}/bench`);
    await quietStart();
    const cap = syncCap();
    log(`(h) sync of ${count(s.users)} users with one webhook endpoint attached (cap ${cap.toFixed(0)} s)`);
    const syncStarted = Date.now();
    const cpuBefore = cpuMs(serverPid);
    const dbCpuSpent = postgresCpuSpan();
    const result = await runSync(ours(webhookSyncOrg), s, `syncwh-${tag}`, cap);
    const syncEnded = Date.now();
    const syncCpu = cpuSeconds(cpuMs(serverPid) - cpuBefore);
    const syncDbCpu = cpuSeconds(dbCpuSpent());
    syncsDone++;
    const drainCap = Math.max(10, Math.min(opts.smoke ? 30 : 120, (budgetEnd - Date.now()) / 1000));
    log(`(h) waiting for the webhook outbox to drain (cap ${drainCap.toFixed(0)} s)`);
    const drain = await waitForDrain(db.url, webhookSyncOrg.id, drainCap);
    await sleep(200); // the last answers recorded by the server were received just before
    const drainCpu = cpuSeconds(cpuMs(serverPid) - cpuBefore);
    await receiver.stop();
    return { result, cap, syncStarted, syncEnded, syncCpu, syncDbCpu, drainCpu, drain, drainCap, receiver };
  };
  let webhook: Awaited<ReturnType<typeof webhookSync>> | null = null;
  if (webhookAfterCycle === 0) webhook = await webhookSync();
  for (let cycle = 1; cycle <= plainCycles; cycle++) {
    await plainSync(cycle);
    if (cycle === webhookAfterCycle) webhook = await webhookSync();
  }
  rows.push(...syncRows);

  const completedSeconds = (row: Row | undefined) => (row && !row.notes.includes('STOPPED') ? row.seconds : undefined);
  const neighbours = [syncRows[(webhookAfterCycle ?? 0) - 1], syncRows[webhookAfterCycle ?? 0]]
    .map(completedSeconds)
    .filter((x): x is number => x !== undefined);
  const plainSeconds = neighbours.length ? neighbours.reduce((a, b) => a + b, 0) / neighbours.length : null;
  const webhookRows = (w: NonNullable<typeof webhook>) => {
    const webhookSyncRow = syncRow(
      'sync-webhook',
      `sync of ${count(s.users)} users + ${s.groups} groups, one webhook endpoint attached`,
      w.result,
      s,
      w.cap,
      [
        plainSeconds
          ? `${((w.result.seconds / plainSeconds) * 100).toFixed(0)}% of the syncs without an endpoint just before and after it (${neighbours.map((x) => `${x.toFixed(1)} s`).join(', ')}; mean ${plainSeconds.toFixed(1)} s)`
          : 'no completed sync without an endpoint to compare with',
        `server CPU ${w.syncCpu} (${w.drainCpu} until the outbox drained), database CPU ${w.syncDbCpu}`,
      ],
    );
    const { drain, receiver } = w;
    const deliverySeconds = (drain.endedAt - w.syncStarted) / 1000;
    const backlogRate = receiver.rateAfter(w.syncEnded);
    const deliveredDuringSync = receiver.arrivals.filter((t) => t <= w.syncEnded).length;
    const deliveryRow: Row = {
      id: 'webhook-delivery',
      scenario: 'webhook events delivered to a local receiver (204)',
      rps: receiver.received ? receiver.received / deliverySeconds : 0,
      p50: receiver.lag.percentile(50),
      p99: receiver.lag.percentile(99),
      requests: receiver.received,
      errors: drain.pending,
      ratio: null,
      target: null,
      notes: [
        `${count(receiver.received)} received (${count(receiver.ids.size)} distinct webhook-ids) of ${count(drain.events)} events over ${deliverySeconds.toFixed(1)} s, from the sync's start until the outbox drained`,
        `${count(deliveredDuringSync)} during the sync (deliveries give way while requests saturate the server)`,
        drain.pending
          ? `NOT DRAINED: ${count(drain.pending)} pending after ${w.drainCap.toFixed(0)} s`
          : `drained ${((drain.endedAt - w.syncEnded) / 1000).toFixed(1)} s after the sync ended`,
        backlogRate === null ? '' : `the backlog left at the sync's end drained at ${backlogRate.toFixed(0)} events/s`,
        'p50/p99 = lag from the change to its arrival; errors = deliveries still pending',
      ]
        .filter(Boolean)
        .join('; '),
      statuses: receiver.lag.statusSummary(),
      seconds: deliverySeconds,
    };
    return { webhookSyncRow, deliveryRow };
  };
  const { webhookSyncRow, deliveryRow } = webhook
    ? webhookRows(webhook)
    : {
        webhookSyncRow: skippedRow('sync-webhook', 'sync with one webhook endpoint attached'),
        deliveryRow: skippedRow('webhook-delivery', 'webhook events delivered to a local receiver (204)'),
      };
  rows.push(webhookSyncRow, deliveryRow);

  // (d) one big group PATCH per fresh group.
  const gp = opts.groupPatch;
  if (want('group-patch')) {
    log(
      `(d) group PATCH adding ${count(gp.add)} members to a group of ${count(gp.size)}, ${seed.bigGroupIds.length} times`,
    );
    const countMembers = (groupId: string) =>
      withClient(db.url, async (c) =>
        Number(
          (await c.query('select count(*)::int as n from group_membership where group_id = $1', [groupId])).rows[0].n,
        ),
      );
    const patch = await runGroupPatch(
      ours(mainOrg),
      seed.bigGroupIds,
      seed.addCandidateIds,
      countMembers,
      gp.size + gp.add,
      opts.smoke ? 10 : 30,
    );
    const verifiedCount = patch.verified.filter(Boolean).length;
    rows.push({
      id: 'group-patch',
      scenario: `group PATCH add ${count(gp.add)} members to ${count(gp.size)}`,
      rps: null,
      p50: median(patch.latencies),
      p99: patch.latencies.length ? Math.max(...patch.latencies) : null,
      requests: patch.recorder.total,
      errors: patch.recorder.errors,
      ratio: null,
      target: null,
      notes: `single request: p50 = median, p99 column = max of ${patch.recorder.total}; ${verifiedCount}/${patch.verified.length} verified in SQL`,
      statuses: patch.recorder.statusSummary(),
      seconds: patch.latencies.reduce((a, b) => a + b, 0) / 1000,
    });
  }

  // (i) a role mapping set and cleared on a group of rm.size members: each recomputes every member's role.
  const mappingRows = async () => {
    log(`(i) groupRoleMappingSet ADMIN and groupRoleMappingClear on a group of ${count(rm.size)}, ${rm.rounds} times`);
    const mapping = await runRoleMapping(
      db.url,
      port,
      rolesOrg.id,
      rolesOrg.ownerToken,
      rolesSeed.bigGroupIds[0],
      rm.size,
      rm.rounds,
    );
    const mappingVerified = `${mapping.verified.filter(Boolean).length}/${rm.rounds} rounds verified in SQL`;
    const mappingRow = (id: string, what: string, latencies: number[]): Row => ({
      id,
      scenario: `${what} on a group of ${count(rm.size)} (recomputes every member)`,
      rps: latencies.length ? 1000 / median(latencies)! : null,
      p50: median(latencies),
      p99: latencies.length ? Math.max(...latencies) : null,
      requests: rm.rounds,
      errors: rm.rounds - latencies.length,
      ratio: null,
      target: null,
      notes: [
        `single request: p50 = median, p99 column = max of ${latencies.length}`,
        mappingVerified,
        mapping.errors[0] ? `first error: ${mapping.errors[0].slice(0, 80)}` : '',
      ]
        .filter(Boolean)
        .join('; '),
      statuses: mapping.errors.length ? `error×${mapping.errors.length}` : '',
      seconds: latencies.reduce((a, b) => a + b, 0) / 1000,
    });
    return {
      mappingSetRow: mappingRow('role-mapping-set', 'groupRoleMappingSet ADMIN', mapping.set),
      mappingClearRow: mappingRow('role-mapping-clear', 'groupRoleMappingClear', mapping.clear),
    };
  };
  const { mappingSetRow, mappingClearRow } = want('role-mapping')
    ? await mappingRows()
    : {
        mappingSetRow: skippedRow('role-mapping-set', 'groupRoleMappingSet ADMIN'),
        mappingClearRow: skippedRow('role-mapping-clear', 'groupRoleMappingClear'),
      };
  rows.push(mappingSetRow, mappingClearRow);

  // (g) the same SCIM lookups and creates through several instances behind a round-robin proxy.
  if (opts.instances > 1) {
    const extra: Child[] = [];
    for (let i = 2; i <= opts.instances; i++) {
      const p = await freePort();
      extra.push(
        await startNode(`server-${i}`, serverScript, serverEnv(p), p, path.join(tmp, `server-${i}.log`), '/readyz'),
      );
    }
    const proxy = new RoundRobinProxy([port, ...extra.map((c) => c.port)]);
    await proxy.start();
    const viaProxy: ScimTarget = { port: proxy.port, org: mainOrg.id, key: mainOrg.scimKey };
    const n = opts.instances;
    log(`(g) SCIM lookup and create through ${n} instances, ${D} s each at ${C} connections`);
    const lookupN = loadRow(
      `lookup-x${n}`,
      `SCIM lookup userName eq via ${n} instances (${sizeLabel(opts.members)})`,
      await lookupLoad(viaProxy, seed.userNames, C, D),
      [`${C} conns, round-robin proxy`],
    );
    lookupN.ratio = ratio(lookupN, lookupRaw);
    const createN = loadRow(
      `create-x${n}`,
      `SCIM POST /Users via ${n} instances`,
      await createLoad(viaProxy, `multi-${tag}`, C, D),
      [`${C} conns, round-robin proxy`],
    );
    createN.ratio = ratio(createN, createRaw);
    rows.push(lookupN, createN);
    await proxy.stop();
    await Promise.all(extra.map((c) => c.stop()));
  }

  rss.stop();
  rawRss.stop();
  const peak = mb(rss.peak);
  log('stopping servers');
  const [serverStop] = await Promise.all([server.stop(), raw.stop(), peer?.stop()]);

  const targets = evaluateTargets(
    opts,
    {
      lookupBig,
      lookupSmall,
      pageBig,
      pageSmall,
      createRow,
      syncRows,
      webhookSyncRow,
      plainSeconds,
      deliveryRow,
      mappingSetRow,
      mappingClearRow,
      lookupPeer,
      createPeer,
    },
    peak,
    afterSync,
  );
  return {
    startedAt: new Date(started).toISOString(),
    mode: opts.smoke ? 'smoke' : 'full',
    options: {
      ...opts,
      database: opts.database ? '(given)' : undefined,
      adminUrl: undefined,
      graphqlConnections: GRAPHQL_CONNECTIONS,
    },
    machine: machine(pgVersion, loadAtStart),
    seed: {
      members: opts.members,
      groups: opts.groups,
      memberships: seed.memberships,
      smallOrgMembers: opts.smallMembers,
      seedSeconds: seed.seconds.toFixed(1),
    },
    rows,
    shutdown: serverStop,
    rss: { peakMb: peak, afterStartMb: mb(afterStart), afterSyncCyclesMb: afterSync, raw: { peakMb: mb(rawRss.peak) } },
    targets,
    totalSeconds: (Date.now() - started) / 1000,
  };
}

/** One sync's row: wall time, requests/s over it, and how far it got when its cap stopped it. */
function syncRow(
  id: string,
  scenario: string,
  r: SyncResult,
  s: BenchOptions['sync'],
  cap: number,
  notes: string[] = [],
): Row {
  const p50 = (k: keyof typeof r.byOp) => r.byOp[k].percentile(50);
  return {
    id,
    scenario,
    rps: r.all.total / r.seconds,
    p50: r.all.percentile(50),
    p99: r.all.percentile(99),
    requests: r.all.total,
    errors: r.all.errors,
    ratio: null,
    target: null,
    notes: [
      r.completed
        ? `wall ${r.seconds.toFixed(1)} s`
        : `STOPPED by the ${cap.toFixed(0)} s cap: ${count(r.usersProcessed)}/${count(s.users)} users, ${r.groupsProcessed}/${s.groups} groups (with the users created) in ${r.seconds.toFixed(0)} s; projected ${projectSync(r, s).toFixed(0)} s`,
      ...notes,
      `${s.clients} clients`,
      `${count(r.usersCreated)} users, ${r.groupsCreated} groups created`,
      `p50 user lookup/create ${fmtMs(p50('userLookup'))}/${fmtMs(p50('userCreate'))} ms, group lookup/create ${fmtMs(p50('groupLookup'))}/${fmtMs(p50('groupCreate'))} ms`,
    ].join('; '),
    statuses: r.all.statusSummary(),
    seconds: r.seconds,
  };
}

/** Wall time the whole sync would have taken at the pace of the part that ran (two requests per user, two per group). */
function projectSync(
  r: { seconds: number; usersProcessed: number; groupsProcessed: number },
  s: BenchOptions['sync'],
): number {
  const done = r.usersProcessed * 2 + r.groupsProcessed * 2;
  return done ? (r.seconds * (s.users * 2 + s.groups * 2)) / done : Infinity;
}

async function main(): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) process.stderr.write(`${err.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return err.message ? 2 : 0;
  }
  const stale = checkBuild(path.resolve(__dirname, '..'));
  if (stale) {
    process.stderr.write(`${stale}\n`);
    if (!existsSync(path.resolve(__dirname, '../src/main.js'))) return 1;
  }

  const tmp = mkdtempSync(path.join(tmpdir(), 'orgd-bench-'));
  mkdirSync(path.join(tmp, 'data'));
  let db: BenchDatabase | undefined;
  let failed = true;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await stopAllChildren().catch(() => undefined);
    if (db?.created) {
      await db
        .drop()
        .catch((err: Error) => process.stderr.write(`could not drop the bench database: ${err.message}\n`));
    }
    const hasLogs = existsSync(path.join(tmp, 'server.log'));
    if (hasLogs && (failed || opts.keepLogs)) process.stderr.write(`logs kept in ${tmp}\n`);
    else rmSync(tmp, { recursive: true, force: true });
  };
  process.on('exit', killAllChildrenSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    const report = await bench(opts, tmp, (d) => (db = d));
    failed = false;
    await cleanup();
    process.stdout.write(`${render(report)}\n`);
    if (opts.json) {
      writeJson(opts.json, report);
      log(`figures written to ${opts.json}`);
    }
    return 0;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === '28000' || code === '3D000') {
      process.stderr.write(
        `bench failed: PostgreSQL is not reachable (${(err as Error).message}); is the server up?\n`,
      );
    } else process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
    for (const name of ['server.log', 'raw-server.log']) {
      const file = path.join(tmp, name);
      if (existsSync(file)) process.stderr.write(`--- last lines of ${name}\n${tail(file)}\n`);
    }
    await cleanup();
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
    killAllChildrenSync();
    process.exit(1);
  },
);
