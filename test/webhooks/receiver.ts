import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A real webhook receiver: records every POST and answers what `answer` says for its path (default 200). */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** TCP connections accepted (keep-alive reuse shows as fewer connections than requests). */
  connections = 0;
  /** Per path: the statuses to answer in turn (the last one repeats), or 'hang' to never answer. */
  readonly script = new Map<string, (number | 'hang')[]>();
  /** Per path: how long to take before answering (a receiver that does some work). */
  readonly delayMs = new Map<string, number>();
  private server: Server | null = null;
  private readonly hanging = new Set<() => void>();

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        const steps = this.script.get(path) ?? [200];
        const step = steps.length > 1 ? steps.shift()! : steps[0];
        if (step === 'hang') {
          const release = () => res.destroy();
          this.hanging.add(release);
          res.on('close', () => this.hanging.delete(release));
          return;
        }
        const answer = () => res.writeHead(step, { 'content-type': 'text/plain' }).end('ok');
        const delay = this.delayMs.get(path);
        if (delay) setTimeout(answer, delay);
        else answer();
      });
    });
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    for (const release of this.hanging) release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
