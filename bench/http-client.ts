import { Agent, request } from 'node:http';

export interface JsonResponse {
  status: number;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: unknown;
  ms: number;
  /** Set when no response arrived (connection refused, reset, timeout). */
  error?: string;
}

/** A keep-alive JSON client over node:http for the scripted scenarios (sync, group PATCH). Never throws. */
export class JsonClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    private readonly headers: Record<string, string>,
    maxSockets: number,
    private readonly timeoutMs = 60_000,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(method: string, path: string, body?: unknown): Promise<JsonResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    return new Promise((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...this.headers,
            Accept: 'application/scim+json, application/json',
            ...(payload ? { 'Content-Type': 'application/scim+json', 'Content-Length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, ms: elapsed() });
          });
          res.on('error', (err) => resolve({ status: 0, body: undefined, ms: elapsed(), error: err.message }));
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error('timeout')));
      req.on('error', (err) => resolve({ status: 0, body: undefined, ms: elapsed(), error: err.message }));
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
