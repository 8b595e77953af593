/**
 * The organizations' endpoint lists kept in memory (WebhookSubscriptions): a write announces its events to an
 * endpoint added a moment ago, on the instance that added it and on another one, and to none after it is removed.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { scimActor } from '../../src/domain/actor';
import { type Container, createContainer } from '../../src/container';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { profile, unique } from '../helpers/factories';
import { type ScimOrg, newUser, scim, scimOrg } from '../helpers/scim';
import { ok } from '../graphql/gql';

let t: TestApp;
let other: Container | null = null;

async function listening(container: Pick<Container, 'changeListener'>): Promise<void> {
  container.changeListener?.start();
  for (let waited = 0; container.changeListener && !container.changeListener.listening; waited += 20) {
    if (waited > 10_000) throw new Error('the change listener did not connect');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  t = await createTestApp({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
  });
  await listening(t);
  // A second instance over the same database: its own caches and its own listener (PostgreSQL only).
  if (t.changeListener) {
    other = createContainer(t.config, t.orm, pino({ level: 'silent' }), {
      kind: 'postgres',
      url: t.db.url,
      dataDir: '',
    });
    await listening(other);
  }
});
afterAll(async () => {
  await other?.changeListener?.close();
  await other?.rateLimits.close();
  await t.changeListener?.close();
  await t.close();
});

const CREATE = `mutation($input: WebhookEndpointCreateInput!) {
  webhookEndpointCreate(input: $input) { endpoint { id } userErrors { message } } }`;
const DELETE = `mutation($input: WebhookEndpointRefInput!) { webhookEndpointDelete(input: $input) { userErrors { message } } }`;

/** The events written for the organization's endpoints (their deliveries are added when the events are numbered). */
const events = async (o: ScimOrg): Promise<number> => {
  const [row] = await t.orm.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>('select count(*) as n from webhook_event where organization_id = ?', [o.orgId]);
  return Number(row.n);
};

/** A member created through `container`'s services: the write that must see the organization's endpoints. */
const provision = (container: Pick<Container, 'services'>, o: ScimOrg) =>
  container.services.memberProfiles.provision(scimActor(o.orgId), o.orgId, profile(`p-${unique()}@example.test`));

describe(`webhook endpoint lists kept in memory (${engineName()})`, () => {
  it('an endpoint added after a write cached "none" gets the next write\'s events, on this instance and another', async () => {
    const o = await scimOrg(t);
    await scim(t, o)
      .post('/Users', newUser(`u-${unique()}@example.test`))
      .expect(201); // caches: no endpoint
    if (other) await provision(other, o);
    expect(await events(o)).toBe(0);

    const created = await ok(t.app, o.ownerToken, CREATE, {
      input: { organizationId: o.orgId, url: 'http://127.0.0.1:9/hook' },
    });
    expect(created.webhookEndpointCreate.userErrors).toEqual([]);

    await scim(t, o)
      .post('/Users', newUser(`u-${unique()}@example.test`))
      .expect(201);
    expect(await events(o)).toBe(1);
    if (other) {
      // The other instance hears of the endpoint when its transaction commits (a notification away).
      await new Promise((resolve) => setTimeout(resolve, 500));
      await provision(other, o);
      expect(await events(o)).toBe(2);
    }

    await ok(t.app, o.ownerToken, DELETE, {
      input: { organizationId: o.orgId, endpointId: created.webhookEndpointCreate.endpoint.id },
    });
    const before = await events(o);
    await scim(t, o)
      .post('/Users', newUser(`u-${unique()}@example.test`))
      .expect(201);
    if (other) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await provision(other, o);
    }
    expect(await events(o)).toBe(before);
  });
});
