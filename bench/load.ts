import { type EventEmitter } from 'node:events';
import { Recorder } from './stats';

// autocannon 9 ships no types; this is the part of its programmatic API the bench uses.
export interface AcRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  setupRequest?: (req: AcRequest, context: Record<string, unknown>) => AcRequest | null | undefined;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

interface AcOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  pipelining?: number;
  headers?: Record<string, string>;
  requests: AcRequest[];
}

interface AcResult {
  errors: number;
  timeouts: number;
  non2xx: number;
}

interface AcInstance extends EventEmitter {
  stop: () => void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (
  opts: AcOptions,
  cb: (err: Error | null, result: AcResult) => void,
) => AcInstance;

export interface LoadSpec {
  port: number;
  connections: number;
  /** Seconds; with `amount`, a cap after which the run is stopped. */
  duration: number;
  /** Exactly this many requests (then stop), instead of running for `duration`. */
  amount?: number;
  headers: Record<string, string>;
  /** Builds each request; called once per request sent. */
  next: () => AcRequest;
  /** Inspects a response body; returns true when a 2xx response still reports an error (GraphQL). */
  inspect?: (status: number, body: string) => boolean;
}

export interface LoadResult {
  recorder: Recorder;
  seconds: number;
  /** Successful responses per second. */
  rps: number;
  /** Requests sent but not answered when the run ended (autocannon drops them): a server slower than the run. */
  unanswered: number;
}

/**
 * One autocannon run from this process (the server is another process). Latencies are recorded from
 * autocannon's per-response events at sub-millisecond precision; only successes enter the percentiles.
 */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const recorder = new Recorder();
  let bodyError = false;
  // autocannon builds each request right before sending it (the first one per connection at start-up).
  let sent = 0;
  const request: AcRequest = {
    // autocannon builds the next request of a connection right after that connection's previous response.
    setupRequest: (req) => {
      sent++;
      const next = spec.next();
      return { ...req, ...next, headers: { ...req.headers, ...next.headers } };
    },
    onResponse: (status, body) => {
      bodyError = spec.inspect ? spec.inspect(status, body) : false;
    },
  };
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let capTimer: NodeJS.Timeout | undefined;
    let instance: AcInstance;
    try {
      instance = autocannon(
        {
          url: `http://127.0.0.1:${spec.port}`,
          connections: spec.connections,
          ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration }),
          timeout: 30,
          pipelining: 1,
          headers: spec.headers,
          requests: [request],
        },
        (err) => {
          clearTimeout(capTimer);
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          if (err) reject(err);
          else
            resolve({ recorder, seconds, rps: recorder.ok / seconds, unanswered: Math.max(0, sent - recorder.total) });
        },
      );
    } catch (err) {
      reject(err);
      return;
    }
    // onResponse runs synchronously just before this event, for the same response.
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      recorder.record(status, ms, bodyError);
      bodyError = false;
    });
    instance.on('reqError', (err: Error) =>
      recorder.transportError(/timed out/.test(err.message) ? 'timeout' : 'transport'),
    );
    if (spec.amount) capTimer = setTimeout(() => instance.stop(), spec.duration * 1000);
  });
}
