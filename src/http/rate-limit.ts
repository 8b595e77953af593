import { NextFunction, Request, Response } from 'express';
import { Pool } from 'pg';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DatabaseTarget } from '../mikro-orm.config';

export interface RateLimits {
  scim: RateLimiterAbstract;
  graphql: RateLimiterAbstract;
  close: () => Promise<void>;
}

export interface RateLimitOptions {
  scimPoints: number;
  graphqlPoints: number;
  windowSeconds: number;
}

/**
 * Fixed-window limiters from rate-limiter-flexible. On PostgreSQL the counters live in the shared
 * `rate_limit` table (created by our migrations), so every instance sees the same budget; a small
 * pool of its own keeps limiter traffic from queueing behind business queries. PGlite is one process:
 * memory is the shared store there.
 */
export function createRateLimits(target: DatabaseTarget, options: RateLimitOptions): RateLimits {
  const { scimPoints, graphqlPoints, windowSeconds } = options;
  if (target.kind !== 'postgres') {
    return {
      scim: new RateLimiterMemory({ keyPrefix: 'scim', points: scimPoints, duration: windowSeconds }),
      graphql: new RateLimiterMemory({ keyPrefix: 'gql', points: graphqlPoints, duration: windowSeconds }),
      close: async () => undefined,
    };
  }
  // Counters are advisory: losing the last increments in a crash is fine, waiting for a WAL flush on
  // every request is not (synchronous_commit off for this pool's sessions only).
  const pool = new Pool({ connectionString: target.url, max: 4, connectionTimeoutMillis: 2000, options: '-c synchronous_commit=off' });
  pool.on('error', () => undefined); // a dropped idle connection must not crash the process
  const make = (keyPrefix: string, points: number) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: 'rate_limit',
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix,
      points,
      duration: windowSeconds,
      // While the database is unreachable the requests fail with 503 anyway; count in memory meanwhile.
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: windowSeconds }),
    });
  return { scim: make('scim', scimPoints), graphql: make('gql', graphqlPoints), close: () => pool.end() };
}

/**
 * Express middleware: one point per request under `keyOf(req, res)`; over budget -> `reject` with the
 * seconds to wait (the caller renders 429 in its transport's format, with Retry-After).
 */
export function rateLimit(
  limiter: RateLimiterAbstract,
  keyOf: (req: Request, res: Response) => string | null,
  reject: (res: Response, retryAfterSeconds: number) => void,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = keyOf(req, res);
    if (!key) return next();
    try {
      const state = await limiter.consume(key);
      res.setHeader('RateLimit-Limit', String(limiter.points));
      res.setHeader('RateLimit-Remaining', String(state.remainingPoints));
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return next(rejection);
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      res.setHeader('Retry-After', String(retryAfter));
      res.setHeader('RateLimit-Limit', String(limiter.points));
      res.setHeader('RateLimit-Remaining', '0');
      reject(res, retryAfter);
    }
  };
}
