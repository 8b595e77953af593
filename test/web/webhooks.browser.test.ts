/**
 * Settings → Webhooks in Chromium: add an endpoint (a real receiver started by the test), see its secret once,
 * send a test event, and watch the delivery arrive as DELIVERED; the receiver verifies the signature.
 */
import { type Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { engineName } from '../helpers/db';
import { type ScimOrg, scimOrg } from '../helpers/scim';
import { WebhookReceiver } from '../webhooks/receiver';
import {
  type ConsoleEnv,
  expectAccessible,
  newContext,
  screenshots,
  signInWithToken,
  startConsole,
} from './support/console';

let env: ConsoleEnv;
let o: ScimOrg;
let page: Page;
const receiver = new WebhookReceiver();
let receiverUrl: string;

beforeAll(async () => {
  receiverUrl = `http://127.0.0.1:${await receiver.start()}/console-hook`;
  env = await startConsole({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  });
  env.t.webhookDispatcher.start();
  o = await scimOrg(env.t);
  page = await (await newContext(env)).newPage();
  await signInWithToken(page, o.ownerToken);
}, 240_000);
afterAll(async () => {
  await env?.t.webhookDispatcher.stop();
  await receiver.stop();
  await env?.close();
});

describe(`console: webhooks (${engineName()})`, () => {
  it('adds an endpoint, shows its secret once, sends a test event and sees it delivered', async () => {
    await page.goto(`/orgs/${o.orgId}`);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Add endpoint' });
    await form.getByLabel('Endpoint URL').fill(receiverUrl);
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.getByLabel('Signing secret', { exact: true }).textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    const endpoint = page.getByRole('region', { name: `Endpoint ${receiverUrl}` });
    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    const deliveries = endpoint.getByRole('table', { name: `Deliveries to ${receiverUrl}` });
    await deliveries
      .getByRole('row')
      .filter({ hasText: 'webhook.test' })
      .getByText('DELIVERED')
      .waitFor({ timeout: 20_000 });
    await expectAccessible(page);
    await screenshots(page, 'webhooks');

    const [received] = receiver.on('/console-hook');
    const event = new Webhook(secret).verify(received.body, received.headers as Record<string, string>);
    expect(event).toMatchObject({ type: 'webhook.test', organizationId: o.orgId });
    await deliveries.getByRole('button', { name: 'Retry' }).first().click();
    for (let waited = 0; receiver.on('/console-hook').length < 2 && waited < 20_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.on('/console-hook')).toHaveLength(2);
  });
});
