import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type Orm, poolStats } from '../db';
import { outboxCountsByStatus } from '../services/outbox-status';
import { CONSOLE_OPERATIONS } from './console-operations';

/**
 * Prometheus metrics (prom-client), one registry per running app. Labels are bounded sets only: transport,
 * route template, status, provider, operation name (the console's, else "other"), never an organization id or anything a client
 * can vary freely (cardinality is what takes a Prometheus down).
 */
export interface Metrics {
  readonly registry: Registry;
  /** Times every HTTP request and counts SCIM outcomes and rate-limit rejections once the response is sent. */
  observeHttp: RequestHandler;
  /** Counts GraphQL operations by name and outcome. */
  graphqlPlugin: ApolloServerPlugin;
  /** The outbox gave up on or postponed a delivery. */
  outboxDeliveryFailed(): void;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function transportOf(path: string): string {
  if (path.startsWith('/scim/')) return 'scim';
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  if (path.startsWith('/auth/')) return 'auth';
  if (path === '/healthz' || path === '/readyz') return 'health';
  if (path === '/metrics') return 'metrics';
  return 'other';
}

/**
 * The matched route as declared in code (`/scim/v2/:id/Users/:id`), so that ids do not become label values.
 * A request that no route handled (404s, 401s answered by authentication) is "unmatched": its path is the
 * client's choice and must not reach a label.
 */
function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (!route || typeof route.path !== 'string') return 'unmatched';
  const template = `${req.baseUrl}${route.path}`.replace(UUID, ':id').replace(/\/+$/, '');
  return template || '/';
}

function outcomeOf(status: number): string {
  if (status < 400) return 'success';
  return status < 500 ? 'client_error' : 'server_error';
}

export function createMetrics(orm: Orm): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by transport, route template, method and status.',
    labelNames: ['transport', 'route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const scimOperations = new Counter({
    name: 'scim_operations_total',
    help: 'Authenticated SCIM requests by identity provider (as detected from the request), operation and outcome.',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    registers: [registry],
  });
  const graphqlOperations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by operation name and outcome (error: the response carries errors; userErrors count as success).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests answered 429 by a rate limit, by transport.',
    labelNames: ['transport'] as const,
    registers: [registry],
  });
  const outboxFailures = new Counter({
    name: 'outbox_delivery_failures_total',
    help: 'Outbox delivery attempts that failed (the message is retried later or, after its last attempt, marked FAILED).',
    registers: [registry],
  });
  new Gauge({
    name: 'outbox_messages',
    help: 'Outbox messages by status: PENDING is the backlog, FAILED gave up.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const [status, count] of await outboxCountsByStatus(orm)) this.set({ status }, count);
      } catch {
        // The database is unreachable: /readyz says so; the scrape still answers with what it has.
      }
    },
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections: in use, idle, and requests waiting for one.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = poolStats(orm);
      if (!pool) return;
      this.set({ state: 'in_use' }, pool.inUse);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
    },
  });

  // The console's operation names (a fixed list); a client's own names would let it grow the label set at will.
  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    return CONSOLE_OPERATIONS.has(name) ? name : 'other';
  };

  const observeHttp = (req: Request, res: Response, next: NextFunction): void => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      const transport = transportOf(req.originalUrl.split('?')[0]);
      const route = routeOf(req);
      end({ transport, route, method: req.method, status: String(res.statusCode) });
      if (res.statusCode === 429) rateLimited.inc({ transport });
      const scim = res.locals.scim as { client?: string | null } | undefined;
      if (transport === 'scim' && scim) {
        scimOperations.inc({
          provider: scim.client ?? 'unknown',
          operation: `${req.method} ${route}`,
          outcome: outcomeOf(res.statusCode),
        });
      }
    });
    next();
  };

  const graphqlPlugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async willSendResponse({ operationName, request, errors, response }) {
          const body = response.body;
          const failed =
            Boolean(errors?.length) || (body.kind === 'single' && Boolean(body.singleResult.errors?.length));
          graphqlOperations.inc({
            operation: operationLabel(operationName ?? request.operationName),
            outcome: failed ? 'error' : 'success',
          });
        },
      };
    },
  };

  return { registry, observeHttp, graphqlPlugin, outboxDeliveryFailed: () => outboxFailures.inc() };
}

/** `GET /metrics` guarded by `METRICS_TOKEN` (bearer), compared in constant time; null token: no guard (own port). */
export function metricsHandler(metrics: Metrics, token: string | null): RequestHandler {
  const expected = token ? createHash('sha256').update(token).digest() : null;
  return async (req: Request, res: Response): Promise<void> => {
    if (expected) {
      const presented = /^bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      if (!timingSafeEqual(createHash('sha256').update(presented).digest(), expected)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
        res.status(401).type('text/plain').send('metrics require "Authorization: Bearer <METRICS_TOKEN>"\n');
        return;
      }
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
