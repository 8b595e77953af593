import { rmSync } from 'node:fs';
import { testPostgresUrl, withClient } from '../helpers/db';
import {
  type ServerProcess,
  childEnv,
  emptyPostgresDatabase,
  graphql,
  jsonOf,
  orgctl,
  sleep,
  startServer,
  tempDir,
} from '../helpers/processes';

/**
 * Verified credentials are remembered by each instance; a change made through one instance must reach the others
 * at once: a rotated SCIM key or a revoked access token is refused by the instance that changed it from the next
 * request on, and by every other instance within a second (PostgreSQL NOTIFY), also after the listening connection
 * was cut and opened again.
 */
const PROPAGATION_MS = 1000;

const pg = emptyPostgresDatabase();
const dirs: string[] = [];
const servers: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill9()));
  await (await pg)?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const describeOnPostgres = testPostgresUrl() ? describe : describe.skip;

const scimStatus = async (port: number, org: string, key: string) =>
  (
    await fetch(`http://127.0.0.1:${port}/scim/v2/${org}/Users?count=1`, {
      headers: { authorization: `Bearer ${key}` },
    })
  ).status;

const viewerStatus = async (port: number, token: string) =>
  (
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { user { id } } }' }),
    })
  ).status;

/** Polls `probe` until it gives `expected`; how long that took (it fails past PROPAGATION_MS). */
async function within(probe: () => Promise<number>, expected: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const status = await probe();
    if (status === expected) return Date.now() - start;
    if (Date.now() - start > PROPAGATION_MS) throw new Error(`still ${status} after ${PROPAGATION_MS} ms`);
    await sleep(50);
  }
}

describeOnPostgres('credential changes across two instances', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let url: string;
  let org: string;
  let key: string;
  let ownerToken: string;

  beforeAll(async () => {
    url = (await pg)!.url;
    const env = () => {
      const dir = tempDir('orgd-credentials');
      dirs.push(dir);
      return childEnv({ DATABASE_URL: url, DATA_DIR: dir, PUBLIC_URL: 'http://orgd.test', HOST: '127.0.0.1' });
    };
    a = await startServer(env());
    servers.push(a);
    b = await startServer(env());
    servers.push(b);
    const cli = env();
    const created = jsonOf(
      await orgctl(['org', 'create', '--name', 'Creds', '--owner-email', 'owner@creds.test', '--json'], cli),
    );
    org = String(created.organizationId);
    ownerToken = String(created.ownerToken);
    key = String(jsonOf(await orgctl(['scim', 'enable', '--org', org, '--provider', 'okta', '--json'], cli)).apiKey);
  }, 120_000);

  /** Both instances have verified (and so remember) the key. */
  async function warm(presented: string): Promise<void> {
    for (const port of [a.port, b.port]) {
      for (let i = 0; i < 3; i++) expect(await scimStatus(port, org, presented)).toBe(200);
    }
  }

  it('refuses a rotated SCIM key at once on the rotating instance and within a second on the other', async () => {
    await warm(key);
    const rotated = await graphql(
      a.port,
      ownerToken,
      'mutation($id: ID!) { scimApiKeyRotate(input: { organizationId: $id }) { apiKey userErrors { message } } }',
      { id: org },
    );
    const payload = rotated.data?.scimApiKeyRotate as { apiKey: string; userErrors: unknown[] };
    expect(payload.userErrors).toEqual([]);
    // No window on the instance that rotated: the very next request is refused.
    expect(await scimStatus(a.port, org, key)).toBe(401);
    expect(await scimStatus(a.port, org, payload.apiKey)).toBe(200);
    await within(() => scimStatus(b.port, org, key), 401);
    expect(await scimStatus(b.port, org, payload.apiKey)).toBe(200);
    key = payload.apiKey;
  });

  it('refuses a rotated SCIM key everywhere when another process (orgctl) rotates it', async () => {
    await warm(key);
    const old = key;
    key = String(
      jsonOf(await orgctl(['scim', 'rotate-key', '--org', org, '--json'], childEnv({ DATABASE_URL: url }))).apiKey,
    );
    await within(() => scimStatus(a.port, org, old), 401);
    await within(() => scimStatus(b.port, org, old), 401);
    expect(await scimStatus(a.port, org, key)).toBe(200);
    expect(await scimStatus(b.port, org, key)).toBe(200);
  });

  it("keeps both keys working on both instances during a rotation's overlap, and only the new one once it is ended", async () => {
    await warm(key);
    const old = key;
    const rotated = await graphql(
      a.port,
      ownerToken,
      `
        mutation ($id: ID!) {
          scimApiKeyRotate(input: { organizationId: $id, previousKeyValidMinutes: 60 }) {
            apiKey
            userErrors {
              message
            }
          }
        }
      `,
      { id: org },
    );
    const payload = rotated.data?.scimApiKeyRotate as { apiKey: string; userErrors: unknown[] };
    expect(payload.userErrors).toEqual([]);
    key = payload.apiKey;
    // The rotation dropped what each instance remembered; the old key is looked up again and still accepted.
    for (const port of [a.port, b.port]) {
      for (let i = 0; i < 3; i++) {
        expect(await scimStatus(port, org, old)).toBe(200);
        expect(await scimStatus(port, org, key)).toBe(200);
      }
    }
    const ended = await graphql(
      a.port,
      ownerToken,
      'mutation($id: ID!) { scimPreviousKeyRevoke(input: { organizationId: $id }) { userErrors { message } } }',
      { id: org },
    );
    expect(ended.data?.scimPreviousKeyRevoke).toEqual({ userErrors: [] });
    expect(await scimStatus(a.port, org, old)).toBe(401);
    await within(() => scimStatus(b.port, org, old), 401);
    for (const port of [a.port, b.port]) expect(await scimStatus(port, org, key)).toBe(200);
  });

  it('keeps the old key working everywhere when orgctl rotates with --previous-key-valid-minutes', async () => {
    await warm(key);
    const old = key;
    const cli = childEnv({ DATABASE_URL: url });
    key = String(
      jsonOf(await orgctl(['scim', 'rotate-key', '--org', org, '--previous-key-valid-minutes', '30', '--json'], cli))
        .apiKey,
    );
    for (const port of [a.port, b.port]) {
      expect(await scimStatus(port, org, old)).toBe(200);
      await within(() => scimStatus(port, org, key), 200);
    }
  });

  it('refuses a revoked access token at once on the revoking instance and within a second on the other', async () => {
    const created = await graphql(
      a.port,
      ownerToken,
      'mutation { accessTokenCreate(input: { name: "short-lived" }) { token accessToken { id } userErrors { message } } }',
    );
    const { token, accessToken } = created.data?.accessTokenCreate as { token: string; accessToken: { id: string } };
    for (const port of [a.port, b.port]) {
      for (let i = 0; i < 3; i++) expect(await viewerStatus(port, token)).toBe(200);
    }
    const revoked = await graphql(
      a.port,
      ownerToken,
      'mutation($id: ID!) { accessTokenRevoke(input: { id: $id }) { userErrors { message } } }',
      { id: accessToken.id },
    );
    expect(revoked.errors).toBeUndefined();
    expect(await viewerStatus(a.port, token)).toBe(401);
    await within(() => viewerStatus(b.port, token), 401);
    expect(await viewerStatus(b.port, ownerToken)).toBe(200);
  });

  it('after its listening connection is cut, an instance still refuses rotated keys and listens again', async () => {
    await warm(key);
    const listeners = (sql: string) =>
      withClient(
        url,
        async (c) =>
          (
            await c.query(
              `${sql} from pg_stat_activity where application_name = 'orgd-listener' and datname = current_database()`,
            )
          ).rowCount ?? 0,
      );
    expect(await listeners('select pid')).toBe(2);
    await listeners('select pg_terminate_backend(pid)');
    const old = key;
    key = String(
      jsonOf(await orgctl(['scim', 'rotate-key', '--org', org, '--json'], childEnv({ DATABASE_URL: url }))).apiKey,
    );
    // The notification may have been sent while nobody listened: the cache was dropped with the connection.
    await within(() => scimStatus(a.port, org, old), 401);
    await within(() => scimStatus(b.port, org, old), 401);
    // Both listen again, and a change after that reaches them as before.
    for (let waited = 0; (await listeners('select pid')) < 2; waited += 100) {
      if (waited > 10_000) throw new Error('the listeners did not reconnect within 10 s');
      await sleep(100);
    }
    await warm(key);
    const again = key;
    key = String(
      jsonOf(await orgctl(['scim', 'rotate-key', '--org', org, '--json'], childEnv({ DATABASE_URL: url }))).apiKey,
    );
    await within(() => scimStatus(a.port, org, again), 401);
    await within(() => scimStatus(b.port, org, again), 401);
    expect(await scimStatus(b.port, org, key)).toBe(200);
  });
});
