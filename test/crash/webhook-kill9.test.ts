import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
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
import { WebhookReceiver } from '../webhooks/receiver';

/**
 * A webhook event committed with its change survives kill -9 of the server before it is delivered: the first
 * attempt fails (the receiver answers 500), the server dies while the retry waits, and the restarted server delivers
 * the same event, with the same webhook-id and a signature standardwebhooks verifies. PostgreSQL only: the test
 * reads the delivery rows while the server runs, which a PGlite data directory (locked by the server) does not allow.
 */
const dir = tempDir('orgd-webhook-crash');
const receiver = new WebhookReceiver();
let pg: { url: string; drop: () => Promise<void> } | null = null;
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill9();
  await receiver.stop();
  await pg?.drop();
  rmSync(dir, { recursive: true, force: true });
});

interface DeliveryRow {
  status: string;
  attempts: number;
  last_status_code: number | null;
  event_id: string;
}

async function deliveries(url: string): Promise<DeliveryRow[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<DeliveryRow>(
      'select status, attempts, last_status_code, event_id from webhook_delivery order by created_at',
    );
    return rows;
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const CREATE_ENDPOINT = `mutation($input: WebhookEndpointCreateInput!) {
  webhookEndpointCreate(input: $input) { endpoint { id } secret userErrors { code message } } }`;
const CREATE_GROUP = `mutation($input: GroupCreateInput!) {
  groupCreate(input: $input) { group { id displayName } userErrors { code message } } }`;

(testPostgresUrl() ? describe : describe.skip)('kill -9 between commit and webhook delivery (postgresql)', () => {
  it('delivers the committed event after the restart, with the same webhook-id, signed', async () => {
    pg = await emptyPostgresDatabase();
    const db = pg!.url;
    const port = await receiver.start();
    receiver.script.set('/crash', [500, 200]);
    const env = childEnv({
      DATA_DIR: dir,
      DATABASE_URL: db,
      PUBLIC_URL: 'http://orgd.test',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      // The same key after the restart: the endpoint's secret is stored encrypted with it.
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    });
    server = await startServer(env);
    const created = jsonOf(
      await orgctl(['org', 'create', '--name', 'Crash', '--owner-email', 'owner@crash.test', '--json'], env),
    );
    const org = String(created.organizationId);
    const token = String(created.ownerToken);

    const endpoint = await graphql(server.port, token, CREATE_ENDPOINT, {
      input: { organizationId: org, url: `http://127.0.0.1:${port}/crash` },
    });
    expect(endpoint.errors).toBeUndefined();
    const { secret, userErrors } = endpoint.data!.webhookEndpointCreate as { secret: string; userErrors: unknown[] };
    expect(userErrors).toEqual([]);

    const group = await graphql(server.port, token, CREATE_GROUP, {
      input: { organizationId: org, displayName: 'Survivors' },
    });
    expect(group.errors).toBeUndefined();
    const groupId = (group.data!.groupCreate as { group: { id: string } }).group.id;

    // The first attempt has failed and its outcome is recorded: the retry is due in about 5 s. Kill before it.
    await waitFor('the failed first attempt', async () => {
      const rows = await deliveries(db);
      return rows.length === 1 && rows[0].last_status_code === 500 ? rows : undefined;
    });
    await server.kill9();
    server = undefined;
    expect(receiver.on('/crash')).toHaveLength(1);
    const [pending] = await deliveries(db);
    expect(pending).toMatchObject({ status: 'PENDING', attempts: 1 });

    server = await startServer(env);
    await waitFor('the delivery after the restart', () => (receiver.on('/crash').length >= 2 ? true : undefined));
    await waitFor('the delivery to be recorded', async () => {
      const rows = await deliveries(db);
      return rows[0].status === 'DELIVERED' ? rows : undefined;
    });
    expect(await server.stop()).toBe(0);
    server = undefined;

    const [failed, delivered] = receiver.on('/crash');
    expect(receiver.on('/crash')).toHaveLength(2);
    expect(delivered.headers['webhook-id']).toBe(pending.event_id);
    expect(failed.headers['webhook-id']).toBe(pending.event_id);
    expect(delivered.body).toBe(failed.body);
    const body = new Webhook(secret).verify(delivered.body, delivered.headers as Record<string, string>) as {
      type: string;
      organizationId: string;
      data: { id: string; displayName: string };
    };
    expect(body).toMatchObject({ type: 'group.created', organizationId: org, data: { id: groupId } });
    expect(await deliveries(db)).toEqual([
      { status: 'DELIVERED', attempts: 2, last_status_code: 200, event_id: pending.event_id },
    ]);
  }, 120_000);
});
