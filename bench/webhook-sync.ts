import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { withClient } from './database';
import { sleep } from './processes';
import { Recorder } from './stats';

/**
 * A local webhook receiver that answers 204 at once, as a well-behaved application does: it counts what arrives,
 * the distinct webhook-ids (a redelivery shows as fewer ids than requests), and each event's lag from its
 * timestamp (the change's commit) to its arrival.
 */
export class CountingReceiver {
  received = 0;
  readonly ids = new Set<string>();
  readonly lag = new Recorder();
  /** When each request arrived (ms since the epoch). */
  readonly arrivals: number[] = [];
  private server: Server | null = null;

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(204).end();
        const now = Date.now();
        this.received++;
        this.arrivals.push(now);
        const id = req.headers['webhook-id'];
        if (typeof id === 'string') this.ids.add(id);
        try {
          const sent = Date.parse(
            (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp: string }).timestamp,
          );
          if (Number.isFinite(sent)) this.lag.record(204, Math.max(0, now - sent));
        } catch {
          this.lag.record(204, 0, true);
        }
      });
    });
    // The server under test keeps connections open between deliveries.
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Deliveries per second after `since` (the backlog's drain), or null when fewer than two arrived then. */
  rateAfter(since: number): number | null {
    const later = this.arrivals.filter((t) => t > since);
    if (later.length < 2) return null;
    return later.length / ((later[later.length - 1] - since) / 1000);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const CREATE_ENDPOINT = `mutation($input: WebhookEndpointCreateInput!) {
  webhookEndpointCreate(input: $input) { endpoint { id } userErrors { code message } } }`;

/** Attaches one endpoint for every event type to the organization, through GraphQL as an owner does. */
export async function attachEndpoint(serverPort: number, org: string, token: string, url: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${serverPort}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: CREATE_ENDPOINT, variables: { input: { organizationId: org, url } } }),
  });
  const body = (await res.json()) as {
    data?: { webhookEndpointCreate?: { endpoint: { id: string } | null; userErrors: { message: string }[] } };
    errors?: { message: string }[];
  };
  const payload = body.data?.webhookEndpointCreate;
  if (!payload?.endpoint)
    throw new Error(
      `could not attach a webhook endpoint: ${body.errors?.[0]?.message ?? payload?.userErrors[0]?.message ?? res.status}`,
    );
}

export interface Drain {
  /** Events written for the organization's endpoints, and those not yet delivered when the wait ended. */
  events: number;
  pending: number;
  /** When the last delivery was recorded, or when the wait gave up. */
  endedAt: number;
}

/**
 * Reads `read()` every `everyMs` until its answer has nothing pending or `capSeconds` pass; returns the first answer
 * and the last.
 */
async function pollUntilDrained<T>(
  read: () => Promise<T>,
  pendingOf: (answer: T) => number,
  capSeconds: number,
  everyMs: number,
): Promise<{ first: T; last: T }> {
  const deadline = Date.now() + capSeconds * 1000;
  const first = await read();
  let last = first;
  while (pendingOf(last) !== 0 && Date.now() <= deadline) {
    await sleep(everyMs);
    last = await read();
  }
  return { first, last };
}

/** Waits until the organization's webhook outbox holds no pending delivery (or `capSeconds` pass). */
export async function waitForDrain(dbUrl: string, org: string, capSeconds: number): Promise<Drain> {
  const counts = () =>
    withClient(dbUrl, async (c) => {
      const { rows } = await c.query<{ events: number; pending: number }>(
        `select count(*)::int as events, (count(*) filter (where d.status = 'PENDING'))::int as pending
           from webhook_delivery d join webhook_endpoint ep on ep.id = d.endpoint_id
          where ep.organization_id = $1`,
        [org],
      );
      return rows[0];
    });
  const { last } = await pollUntilDrained(counts, (c) => c.pending, capSeconds, 100);
  return { ...last, endedAt: Date.now() };
}

/**
 * Waits until no invitation e-mail is waiting to be sent (or `capSeconds` pass), so that a sync does not share the
 * server with the previous one's mail backlog; returns how many were still waiting at the start.
 */
export async function waitForMailDrain(dbUrl: string, capSeconds: number): Promise<number> {
  const pending = () =>
    withClient(dbUrl, async (c) => {
      const { rows } = await c.query<{ pending: number }>(
        `select count(*)::int as pending from outbox_message where status = 'PENDING' and next_attempt_at <= now()`,
      );
      return rows[0].pending;
    });
  return (await pollUntilDrained(pending, (n) => n, capSeconds, 200)).first;
}
