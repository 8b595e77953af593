import { type NextFunction, type Request, type Response } from 'express';
import {
  BurstyRateLimiter,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { BatchedCounters, type CounterStore } from './batched-limiter';

/** The shared counters' table (the composition root gives RateLimitStore on PostgreSQL). */
export interface SharedCounterStore extends CounterStore {
  /** The client rate-limiter-flexible's RateLimiterPostgres uses (a `pg` pool). */
  readonly pool: unknown;
  /** Deletes the counters whose window has ended; never rejects. */
  clearExpired(): Promise<void>;
  close(): Promise<void>;
}

/** What a transport needs of a limiter: spend one point under a key (rejects with a RateLimiterRes when over budget). */
export interface Limiter {
  /** The budget announced in RateLimit-Limit. */
  readonly points: number;
  consume(key: string): Promise<RateLimiterRes>;
}

/** Failures are counted in the store; an instance that has seen a key spend its budget refuses it from memory. */
export interface FailureLimiter extends Limiter {
  /** Milliseconds `key` must still wait as far as this instance knows, without a store round trip; 0 when it may try. */
  blockedMs(key: string): Promise<number>;
}

export interface RateLimits {
  /** SCIM requests, per organization: a token bucket (a sustained rate plus a burst allowance). */
  scim: Limiter;
  /** Authenticated GraphQL requests, per account, per window. */
  graphql: Limiter;
  /** Failed GraphQL authentications, per client address, per window. */
  authFailures: FailureLimiter;
  /** Deletes the counters whose window has ended (on PostgreSQL; in memory they expire by themselves). */
  clearExpired: () => Promise<void>;
  /** Runs clearExpired every `intervalMs` until close(); main.ts starts it, tests may call clearExpired directly. */
  startSweeping: (intervalMs?: number) => void;
  /** Stops the sweeping, sends the last counts and closes the limiter's own pool. */
  close: () => Promise<void>;
}

export interface RateLimitOptions {
  scimPerSecond: number;
  scimBurst: number;
  graphqlPoints: number;
  authFailurePoints: number;
  windowSeconds: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/** The table's counters, per key prefix (rate-limiter-flexible stores `<prefix>:<key>`). */
const PREFIX = {
  scim: 'scim-rate',
  scimBurst: 'scim-burst',
  graphql: 'gql-account',
  authFailures: 'gql-auth-failure',
} as const;

/** A fixed-window counter; rate-limiter-flexible's limiters and ours (BatchedCounters) both fit. */
type WindowLimiter = Pick<RateLimiterAbstract, 'points' | 'consume'>;
type MakeLimiter = (keyPrefix: string, points: number, durationSeconds: number) => WindowLimiter;

/**
 * A token bucket from rate-limiter-flexible's BurstyRateLimiter: `perSecond` points in each one-second window,
 * and once those are spent, a burst allowance of `burst - perSecond` points that refills over the time the
 * sustained rate needs to deliver a whole burst. So `burst` requests pass at once and `perSecond` forever after.
 */
function tokenBucket(make: MakeLimiter, perSecond: number, burst: number): Limiter {
  const sustained = make(PREFIX.scim, perSecond, 1);
  if (burst <= perSecond) return sustained;
  const bursty = new BurstyRateLimiter(
    sustained as RateLimiterAbstract,
    make(PREFIX.scimBurst, burst - perSecond, Math.ceil(burst / perSecond)) as RateLimiterAbstract,
  );
  return { points: perSecond, consume: (key) => bursty.consume(key) };
}

function limits(make: MakeLimiter, options: RateLimitOptions): Pick<RateLimits, 'scim' | 'graphql'> {
  return {
    scim: tokenBucket(make, options.scimPerSecond, options.scimBurst),
    graphql: make(PREFIX.graphql, options.graphqlPoints, options.windowSeconds),
  };
}

/** In memory the counter itself is local: a spent key is one whose points are all consumed. */
function memoryFailureLimiter(points: number, duration: number): FailureLimiter {
  const limiter = new RateLimiterMemory({ keyPrefix: PREFIX.authFailures, points, duration });
  return {
    points,
    consume: (key) => limiter.consume(key),
    blockedMs: async (key) => {
      const state = await limiter.get(key);
      return state && state.consumedPoints >= points ? state.msBeforeNext : 0;
    },
  };
}

/** The part of the store limiters' API that their type declarations leave out. */
interface StoreLimiterExtras {
  /** rate-limiter-flexible's in-memory block (`inMemoryBlockOnConsumed`): ms left for a store key (`getKey(key)`). */
  getInMemoryBlockMsBeforeExpire(storeKey: string): number;
}

/**
 * On PostgreSQL the counters live in the shared `rate_limit` table, so every instance sees the same budget. SCIM and
 * GraphQL requests are counted in memory and added to the table in batches (BatchedCounters: within
 * 1 + N × LOCAL_SHARE of the budget over N instances, one statement per flush instead of an upsert per request).
 * Failed authentications go straight to the table (rate-limiter-flexible), rare as they are until an address is
 * refused from memory. PGlite is one process: memory is the shared store there.
 * Counters are keyed by organization, account or client address, never by anything a caller can vary at will,
 * and the rows of ended windows are swept: the table stays as small as the set of active callers.
 */
export function createRateLimits(store: SharedCounterStore | null, options: RateLimitOptions): RateLimits {
  if (!store) {
    return {
      ...limits((keyPrefix, points, duration) => new RateLimiterMemory({ keyPrefix, points, duration }), options),
      authFailures: memoryFailureLimiter(options.authFailurePoints, options.windowSeconds),
      clearExpired: async () => undefined,
      startSweeping: () => undefined,
      close: async () => undefined,
    };
  }
  const counters = new BatchedCounters(store);
  // A key that reaches its budget is refused from memory for the rest of its window: a flood of failures from
  // one address costs no store round trips, and no authentication attempts (blockedMs is checked first).
  const failures = new RateLimiterPostgres({
    storeClient: store.pool,
    storeType: 'pool',
    tableName: 'rate_limit',
    tableCreated: true,
    // The library's own sweep runs per limiter on an unstoppable timer; ours (startSweeping) is one per table.
    clearExpiredByTimeout: false,
    keyPrefix: PREFIX.authFailures,
    points: options.authFailurePoints,
    duration: options.windowSeconds,
    // While the database is unreachable the requests fail with 503 anyway; count in memory meanwhile.
    insuranceLimiter: new RateLimiterMemory({
      keyPrefix: PREFIX.authFailures,
      points: options.authFailurePoints,
      duration: options.windowSeconds,
    }),
    inMemoryBlockOnConsumed: options.authFailurePoints,
  });
  const extras = failures as unknown as StoreLimiterExtras;
  const authFailures: FailureLimiter = {
    points: options.authFailurePoints,
    consume: (key) => failures.consume(key),
    blockedMs: async (key) => extras.getInMemoryBlockMsBeforeExpire(failures.getKey(key)),
  };
  // One statement clears the whole table; the in-memory counters of ended windows go with it.
  const clearExpired = async () => {
    counters.prune();
    await store.clearExpired();
  };
  let sweeper: NodeJS.Timeout | undefined;
  return {
    ...limits((keyPrefix, points, duration) => counters.limiter(keyPrefix, points, duration), options),
    authFailures,
    clearExpired,
    startSweeping: (intervalMs = SWEEP_INTERVAL_MS) => {
      if (sweeper) return;
      sweeper = setInterval(() => void clearExpired(), intervalMs);
      sweeper.unref();
    },
    close: async () => {
      clearInterval(sweeper);
      sweeper = undefined;
      await counters.close();
      await store.close();
    },
  };
}

export type Spent = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** Spends one point under `key`: allowed with what remains, or refused with the whole seconds to wait (at least 1). */
export async function spend(limiter: Limiter, key: string): Promise<Spent> {
  try {
    const state = await limiter.consume(key);
    return { allowed: true, remaining: state.remainingPoints };
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return { allowed: false, retryAfterSeconds: retryAfterSeconds(rejection.msBeforeNext) };
  }
}

export const retryAfterSeconds = (msBeforeNext: number): number => Math.max(1, Math.ceil(msBeforeNext / 1000));

/** RateLimit-Limit/-Remaining for what was spent, and Retry-After when it was refused. */
export function setLimitHeaders(res: Response, limiter: Limiter, spent: Spent): void {
  res.setHeader('RateLimit-Limit', String(limiter.points));
  res.setHeader('RateLimit-Remaining', String(spent.allowed ? spent.remaining : 0));
  if (!spent.allowed) res.setHeader('Retry-After', String(spent.retryAfterSeconds));
}

/**
 * Express middleware: one point per request under `keyOf(req, res)`; over budget -> `reject` with the
 * seconds to wait (the caller renders 429 in its transport's format; Retry-After is already set).
 */
export function rateLimit(
  limiter: Limiter,
  keyOf: (req: Request, res: Response) => string | null,
  reject: (res: Response, retryAfterSeconds: number) => void,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = keyOf(req, res);
    if (!key) return next();
    try {
      const spent = await spend(limiter, key);
      setLimitHeaders(res, limiter, spent);
      if (spent.allowed) return next();
      reject(res, spent.retryAfterSeconds);
    } catch (err) {
      next(err);
    }
  };
}
