import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { cliActor } from '../../src/domain/actor';
import { WebhookDispatcher } from '../../src/services/webhook-dispatcher';
import {
  type CheckedAddress,
  classifyAddress,
  resolveDeliveryAddresses,
  urlProblem,
} from '../../src/services/webhooks/address-policy';
import { SecretBox, secretKeyLoader } from '../../src/services/webhooks/secret-box';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { scimOrg } from '../helpers/scim';
import { gql } from '../graphql/gql';
import { WebhookReceiver } from './receiver';

const KEY = randomBytes(32).toString('base64');

describe('webhook address policy', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['2606:2800:220:1:248:1893:25c8:1946', 'public'],
    ['127.0.0.1', 'private'],
    ['::1', 'private'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'forbidden'],
    ['169.254.0.1', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['fd00:ec2::254', 'forbidden'],
    ['100.100.100.200', 'forbidden'],
    ['::ffff:169.254.169.254', 'forbidden'],
    ['::ffff:127.0.0.1', 'private'],
    ['0.0.0.0', 'forbidden'],
    ['224.0.0.1', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
  ])('%s is %s', (address, verdict) => {
    expect(classifyAddress(address)).toBe(verdict);
  });

  it('only https, no credentials, no internal literal unless allowed; link-local never', () => {
    expect(urlProblem('https://hooks.example.com/x', false)).toBeNull();
    expect(urlProblem('http://hooks.example.com/x', false)).toMatch(/https/);
    expect(urlProblem('http://127.0.0.1:8080/x', false)).toMatch(/https/);
    expect(urlProblem('https://127.0.0.1/x', false)).toMatch(/loopback, private/);
    expect(urlProblem('https://[::1]/x', false)).toMatch(/loopback, private/);
    expect(urlProblem('https://localhost/x', false)).toMatch(/loopback/);
    expect(urlProblem('https://user:pw@hooks.example.com/x', false)).toMatch(/password/);
    expect(urlProblem('ftp://hooks.example.com/x', true)).toMatch(/https/);
    expect(urlProblem('http://127.0.0.1:8080/x', true)).toBeNull();
    expect(urlProblem('http://169.254.169.254/latest/meta-data', true)).toMatch(/link-local or metadata/);
    expect(urlProblem('http://[fd00:ec2::254]/', true)).toMatch(/link-local or metadata/);
  });

  it('resolves names at delivery time and checks every address', async () => {
    await expect(resolveDeliveryAddresses(new URL('http://localhost:1/'), false)).rejects.toThrow(/refused/);
    const local = await resolveDeliveryAddresses(new URL('http://localhost:1/'), true);
    expect(local.length).toBeGreaterThan(0);
    await expect(resolveDeliveryAddresses(new URL('http://169.254.169.254/'), true)).rejects.toThrow(/refused/);
  });
});

describe(`webhook SSRF at create and at delivery (${engineName()})`, () => {
  let strict: TestApp;
  let lax: TestApp;
  const receiver = new WebhookReceiver();
  let port: number;

  beforeAll(async () => {
    strict = await createTestApp({ WEBHOOK_SECRET_KEY: KEY });
    lax = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_SECRET_KEY: KEY });
    port = await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await strict?.close();
    await lax?.close();
  });

  const create = (t: TestApp, token: string, organizationId: string, url: string) =>
    gql(
      t.app,
      token,
      `mutation($input: WebhookEndpointCreateInput!) { webhookEndpointCreate(input: $input) {
        endpoint { id } secret userErrors { code field message } } }`,
      { input: { organizationId, url } },
    );

  it('without WEBHOOK_ALLOW_PRIVATE_NETWORKS: http://127.0.0.1 is refused at create, and at delivery', async () => {
    const o = await scimOrg(strict);
    const refused = await create(strict, o.ownerToken, o.orgId, `http://127.0.0.1:${port}/strict`);
    expect(refused.body.data!.webhookEndpointCreate).toMatchObject({
      endpoint: null,
      secret: null,
      userErrors: [{ code: 'INVALID_INPUT', field: 'url' }],
    });
    // An endpoint saved while private networks were allowed, delivered by a server where they are not.
    const saved = await lax.services.webhooks.create(cliActor(), (await scimOrg(lax)).orgId, {
      url: `http://127.0.0.1:${port}/strict`,
    });
    const [{ organization_id: orgId }] = await lax.orm.em
      .fork()
      .execute<{ organization_id: string }[]>('select organization_id from webhook_endpoint where id = ?', [
        saved.endpoint.id,
      ]);
    await lax.services.groups.create(cliActor(), orgId, { displayName: 'Refused' });
    const dispatcher = new WebhookDispatcher(
      lax.orm,
      new SecretBox(secretKeyLoader(KEY, null)),
      pino({ level: 'silent' }),
      {
        allowPrivateNetworks: false,
        publicUrl: 'http://orgd.test',
      },
    );
    await dispatcher.drainOnce();
    expect(receiver.on('/strict')).toEqual([]);
    const page = await lax.services.webhooks.deliveries(cliActor(), orgId, saved.endpoint.id, { first: 5 });
    expect(page.items[0]).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: null });
    expect(page.items[0].lastError).toMatch(/refused/);
  });

  it('with WEBHOOK_ALLOW_PRIVATE_NETWORKS: loopback is allowed, 169.254.169.254 still refused at create and delivery', async () => {
    const o = await scimOrg(lax);
    const metadata = await create(lax, o.ownerToken, o.orgId, 'http://169.254.169.254/latest/meta-data');
    expect(metadata.body.data!.webhookEndpointCreate.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_INPUT', field: 'url' }),
    ]);
    const allowed = await create(lax, o.ownerToken, o.orgId, `http://127.0.0.1:${port}/lax`);
    expect(allowed.body.data!.webhookEndpointCreate.userErrors).toEqual([]);
    // A URL changed behind the check's back (or a name that now resolves there) is refused when sending.
    await lax.orm.em
      .fork()
      .execute(`update webhook_endpoint set url = 'http://169.254.169.254/latest/meta-data' where id = ?`, [
        allowed.body.data!.webhookEndpointCreate.endpoint.id,
      ]);
    await lax.services.groups.create(cliActor(), o.orgId, { displayName: 'Metadata' });
    await lax.webhookDispatcher.drainOnce();
    const page = await lax.services.webhooks.deliveries(
      cliActor(),
      o.orgId,
      allowed.body.data!.webhookEndpointCreate.endpoint.id,
      { first: 5 },
    );
    expect(page.items[0].lastError).toMatch(/refused/);
  });
});

describe(`webhook keep-alive connections and the address policy (${engineName()})`, () => {
  let t: TestApp;
  const receiver = new WebhookReceiver();
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_SECRET_KEY: KEY });
    port = await receiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t?.close();
  });

  it('reuses a connection while the name resolves to the checked address; refuses, and drops it, once it does not', async () => {
    // hooks.test resolves to what this test says, as a rebinding DNS server would answer.
    let answer: CheckedAddress[] = [{ address: '127.0.0.1', family: 4 }];
    const dispatcher = new WebhookDispatcher(
      t.orm,
      new SecretBox(secretKeyLoader(KEY, null)),
      pino({ level: 'silent' }),
      {
        allowPrivateNetworks: true,
        publicUrl: 'http://orgd.test',
        retryDelay: () => 0,
        resolveName: (host) => Promise.resolve(host === 'hooks.test' ? answer : []),
      },
    );
    try {
      const orgId = (await scimOrg(t)).orgId;
      const { endpoint } = await t.services.webhooks.create(cliActor(), orgId, {
        url: `http://hooks.test:${port}/pinned`,
      });
      const lastError = async () =>
        (await t.services.webhooks.deliveries(cliActor(), orgId, endpoint.id, { first: 1 })).items[0];

      await t.services.groups.create(cliActor(), orgId, { displayName: 'First' });
      await dispatcher.drainOnce();
      await t.services.groups.create(cliActor(), orgId, { displayName: 'Second' });
      await dispatcher.drainOnce();
      expect(receiver.on('/pinned')).toHaveLength(2);
      expect(receiver.connections).toBe(1);

      // The name now points at the metadata service: refused before any socket is used, the open one included.
      answer = [{ address: '169.254.169.254', family: 4 }];
      await t.services.groups.create(cliActor(), orgId, { displayName: 'Rebound' });
      await dispatcher.drainOnce();
      expect(receiver.on('/pinned')).toHaveLength(2);
      expect(await lastError()).toMatchObject({ status: 'PENDING', lastStatusCode: null });
      expect((await lastError()).lastError).toMatch(/refused: hooks.test resolves to 169.254.169.254/);

      // Back to an allowed address: delivered, over a new connection (the old one was dropped with the refusal).
      answer = [{ address: '127.0.0.1', family: 4 }];
      await dispatcher.drainOnce();
      expect(receiver.on('/pinned')).toHaveLength(3);
      expect(await lastError()).toMatchObject({ status: 'DELIVERED', lastStatusCode: 200 });
      expect(receiver.connections).toBe(2);
    } finally {
      await dispatcher.stop();
    }
  });
});

describe('webhook configuration', () => {
  it('WEBHOOK_SECRET_KEY must be the base64 of 32 bytes', async () => {
    expect(() => loadConfig({ WEBHOOK_SECRET_KEY: 'short' } as NodeJS.ProcessEnv)).toThrow(
      'invalid configuration: WEBHOOK_SECRET_KEY must be the base64 of 32 random bytes',
    );
    expect(loadConfig({ WEBHOOK_SECRET_KEY: KEY } as NodeJS.ProcessEnv).WEBHOOK_SECRET_KEY).toBe(KEY);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' } as NodeJS.ProcessEnv)).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_NETWORKS/,
    );
  });
});
