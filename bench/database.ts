import 'reflect-metadata';
import { type Client } from 'pg';
import { withClient as withDatabaseClient } from '../test/helpers/db';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createContainer } from '../src/container';
import { migrate, openOrm } from '../src/db';
import { cliActor } from '../src/domain/actor';
import { ScimProvider } from '../src/domain/enums';

/** A database of its own for one run: created fresh (and dropped at the end), or one the caller gave. */
export interface BenchDatabase {
  url: string;
  created: boolean;
  drop: () => Promise<void>;
}

export const withClient = <T>(url: string, work: (c: Client) => Promise<T>): Promise<T> =>
  withDatabaseClient(url, work, 5000);

export async function openDatabase(given: string | undefined, adminUrl: string): Promise<BenchDatabase> {
  if (given) return { url: given, created: false, drop: async () => undefined };
  const name = `orgd_bench_${process.pid}`;
  await withClient(adminUrl, async (c) => {
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.query(`create database "${name}"`);
  });
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  let dropped = false;
  return {
    url: u.toString(),
    created: true,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withClient(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

export interface BenchOrganization {
  id: string;
  ownerToken: string;
  scimKey: string;
}

/**
 * Runs the migrations and creates the organizations through the real services (owner + access token,
 * SCIM enabled with a JumpCloud key), exactly as `orgctl org create` and `orgctl scim enable` do.
 */
export async function migrateAndCreateOrganizations(url: string, names: string[]): Promise<BenchOrganization[]> {
  const config = loadConfig({
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://bench.invalid',
  } as NodeJS.ProcessEnv);
  const orm = await openOrm({ kind: 'postgres', url, dataDir: '' }, { max: 2 });
  try {
    await migrate(orm);
    const { services } = createContainer(config, orm, pino({ level: 'silent' }));
    const orgs: BenchOrganization[] = [];
    for (const name of names) {
      const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      const created = await services.organizations.create(cliActor(), {
        name,
        ownerEmail: `owner-${process.pid}-${slug}@bench.example`,
        ownerName: `${name} Owner`,
      });
      const { apiKey } = await services.scimSettings.enable(cliActor(), created.organization.id, {
        provider: ScimProvider.JUMPCLOUD,
      });
      // The deprovisioning wave measures deprovisioning itself, as after an administrator expecting a mass
      // deprovisioning turned the safeguard off (on, it would hold all but the first 50).
      await services.scimSettings.update(cliActor(), created.organization.id, {
        deprovisioningSafeguard: { enabled: false },
      });
      orgs.push({ id: created.organization.id, ownerToken: created.ownerToken, scimKey: apiKey });
    }
    return orgs;
  } finally {
    await orm.close(true);
  }
}

export interface SeedResult {
  members: number;
  groups: number;
  memberships: number;
  /** A random sample of existing userNames (lookup targets). */
  userNames: string[];
  /** Groups of `bigGroupSize` members for the group PATCH scenario, one per repetition. */
  bigGroupIds: string[];
  /** Members not in any big group: the ones the group PATCH adds. */
  addCandidateIds: string[];
  /** Seeded members the deprovisioning wave may fall back to when no create succeeded. */
  spareMemberIds: string[];
  seconds: number;
}

const GIVEN = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Edsger',
  'Radia',
  'Donald',
  'Katherine',
  'John',
  'Hedy',
  'Niklaus',
  'Sophie',
  'Tim',
  'Shafi',
  'Leslie',
  'Joan',
  'Bjarne',
  'Mary',
  'Guido',
  'Anita',
  'Yukihiro',
  'Lynn',
  'James',
  'Carol',
  'Rasmus',
];
const FAMILY = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Dijkstra',
  'Perlman',
  'Knuth',
  'Johnson',
  'McCarthy',
  'Lamarr',
  'Wirth',
  'Wilson',
  'Berners-Lee',
  'Goldwasser',
  'Lamport',
  'Clarke',
  'Stroustrup',
  'Shaw',
  'van Rossum',
  'Borg',
  'Matsumoto',
  'Conway',
  'Gosling',
  'Shaw',
  'Lerdorf',
];
const DEPARTMENTS = ['Engineering', 'Sales', 'Support', 'Finance', 'Marketing', 'Operations', 'Legal', 'People'];

const sqlArray = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;
const int = (n: number) => {
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a count: ${n}`);
  return String(n);
};
const uuid = (s: string) => {
  if (!/^[0-9a-f-]{36}$/i.test(s)) throw new Error(`not a uuid: ${s}`);
  return `'${s}'::uuid`;
};

/**
 * Seeds members, groups and memberships with set-based SQL (generate_series): seconds for 100,000 members.
 * Three in four members are CONFIRMED (with an account), one in four INVITED; each member is in two groups. All are
 * SCIM-provisioned with their role from groups, as the IdP's members are.
 */
export async function seedOrganization(
  url: string,
  org: string,
  opts: {
    members: number;
    groups: number;
    domain: string;
    bigGroups: number;
    bigGroupSize: number;
    bigGroupAdd: number;
    sample: number;
    spare: number;
  },
): Promise<SeedResult> {
  const started = Date.now();
  return withClient(url, async (c) => {
    const n = int(opts.members);
    const g = int(Math.max(1, opts.groups));
    const o = uuid(org);
    const domain = opts.domain.replace(/[^a-z0-9.-]/g, '');
    await c.query('begin');
    await c.query(`create temp table bench_m on commit drop as
      select idx, id, user_id, given, family, lower(replace(given || '.' || family, ' ', '')) || '.' || idx || '@${domain}' as uname
      from (select i as idx, gen_random_uuid() as id, gen_random_uuid() as user_id,
                   (${sqlArray(GIVEN)})[1 + i % ${GIVEN.length}] as given,
                   (${sqlArray(FAMILY)})[1 + (i / ${GIVEN.length}) % ${FAMILY.length}] as family
            from generate_series(1, ${n}) i) s`);
    await c.query(`create index on bench_m (idx)`);
    await c.query(`insert into app_user (id, email, name, created_at)
      select user_id, uname, given || ' ' || family, now() - make_interval(secs => ${n} - idx) from bench_m where idx % 4 <> 0`);
    await c.query(`insert into member (id, organization_id, user_id, email, user_name, given_name, family_name, formatted_name, display_name,
        external_id, emails, department, role, permissions, role_source, status, source, invitation_token_hash, invitation_expires_at, created_at, updated_at, version)
      select id, ${o}, case when idx % 4 <> 0 then user_id end, uname, uname, given, family, given || ' ' || family, given || ' ' || family,
        substr(md5(${o}::text || idx), 1, 24),
        jsonb_build_array(jsonb_build_object('value', uname, 'type', 'work', 'primary', true)),
        (${sqlArray(DEPARTMENTS)})[1 + idx % ${DEPARTMENTS.length}],
        'USER', '{"manageUsers":false,"manageGroups":false,"manageScim":false,"accessEventLogs":false}'::jsonb, 'GROUPS',
        case when idx % 4 = 0 then 'INVITED' else 'CONFIRMED' end, 'SCIM',
        case when idx % 4 = 0 then md5(id::text) || md5(user_id::text) end,
        case when idx % 4 = 0 then now() + interval '7 days' end,
        now() - make_interval(secs => ${n} - idx), now() - make_interval(secs => ${n} - idx), 1
      from bench_m`);
    await c.query(
      `create temp table bench_g on commit drop as select i as idx, gen_random_uuid() as id from generate_series(1, ${g}) i`,
    );
    await c.query(`insert into member_group (id, organization_id, display_name, external_id, created_at, updated_at, version)
      select id, ${o}, (${sqlArray(DEPARTMENTS)})[1 + idx % ${DEPARTMENTS.length}] || ' team ' || idx, substr(md5('group' || ${o}::text || idx), 1, 24),
        now() - make_interval(secs => ${g} - idx), now(), 1
      from bench_g`);
    const memberships = await c.query(`insert into group_membership (group_id, member_id, created_at)
      select g.id, m.id, now() from bench_m m join bench_g g on g.idx = 1 + m.idx % ${g}
      union
      select g.id, m.id, now() from bench_m m join bench_g g on g.idx = 1 + (m.idx * 7 + 3) % ${g}`);
    // Big groups for the group PATCH scenario: members 1..size in each; size+1..size+add are added by the PATCH.
    const big = await c.query<{
      id: string;
    }>(`insert into member_group (id, organization_id, display_name, external_id, version)
      select gen_random_uuid(), ${o}, 'Bench big group ' || i, null, 1 from generate_series(1, ${int(opts.bigGroups)}) i returning id`);
    const bigIds = big.rows.map((r) => r.id);
    let bigMemberships = 0;
    if (bigIds.length) {
      const r = await c.query(
        `insert into group_membership (group_id, member_id, created_at)
        select g.id, m.id, now() from unnest($1::uuid[]) g(id) cross join bench_m m where m.idx <= ${int(opts.bigGroupSize)}`,
        [bigIds],
      );
      bigMemberships = r.rowCount ?? 0;
    }
    const candidates = await c.query<{ id: string }>(
      `select id from bench_m where idx > ${int(opts.bigGroupSize)} and idx <= ${int(opts.bigGroupSize + opts.bigGroupAdd)} order by idx`,
    );
    const spare = await c.query<{ id: string }>(
      `select id from bench_m where idx > ${n} - ${int(opts.spare)} order by idx`,
    );
    const sample = await c.query<{ uname: string }>(
      `select uname from bench_m order by random() limit ${int(opts.sample)}`,
    );
    await c.query('commit');
    return {
      members: opts.members,
      groups: opts.groups + bigIds.length,
      memberships: (memberships.rowCount ?? 0) + bigMemberships,
      userNames: sample.rows.map((r) => r.uname),
      bigGroupIds: bigIds,
      addCandidateIds: candidates.rows.map((r) => r.id),
      spareMemberIds: spare.rows.map((r) => r.id),
      seconds: (Date.now() - started) / 1000,
    };
  });
}

/**
 * After the bulk load, the database as autovacuum leaves it on a running system: planner statistics, so the first
 * queries use the indexes, and the visibility map, so reads covered by an index need not visit the table.
 */
export async function analyze(url: string): Promise<void> {
  await withClient(url, (c) => c.query('vacuum analyze'));
}

export async function postgresVersion(url: string): Promise<string> {
  return withClient(url, async (c) => (await c.query<{ v: string }>('select version() as v')).rows[0].v);
}
