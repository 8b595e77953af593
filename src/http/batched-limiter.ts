import { RateLimiterRes } from 'rate-limiter-flexible';
import { type CounterIncrement, type CounterState } from '../domain/counters';

/** Adds to many shared fixed-window counters at once and answers their states (RateLimitStore on PostgreSQL). */
export interface CounterStore {
  add(increments: CounterIncrement[]): Promise<Map<string, CounterState>>;
}

/**
 * The part of a counter's remaining budget one instance may admit on its own, before the shared store has
 * confirmed it. With N instances, at most N × LOCAL_SHARE of the budget can be admitted beyond it (see
 * BatchedCounters): 1/32 keeps three instances within 10 %.
 */
export const LOCAL_SHARE = 1 / 32;
/** How often what was admitted locally is added to the store (one statement for every counter). */
const FLUSH_INTERVAL_MS = 50;

interface Waiter {
  resolve: (res: RateLimiterRes) => void;
  reject: (res: RateLimiterRes) => void;
}

/** One instance's view of one shared counter. */
interface Counter {
  limit: number;
  durationMs: number;
  /** The store's points when it last answered, and when that window ends (0: not known yet). */
  known: number;
  expire: number;
  /** Admitted here and not yet sent to the store; sent, not yet answered. */
  pending: number;
  inFlight: number;
  /** How many this instance may admit unconfirmed (pending + inFlight) until the store answers again. */
  allowance: number;
  /** Requests that wait for the store's answer: the local allowance is spent. */
  waiting: Waiter[];
}

const localAllowance = (limit: number, known: number) => Math.floor(LOCAL_SHARE * Math.max(0, limit - known));

/**
 * Fixed-window counters shared by every instance through a store, counted in memory and added to the store in
 * batches: one statement per flush for all counters, instead of one round trip per request.
 *
 * A request is admitted from memory while this instance's unconfirmed admissions (pending + inFlight) stay below
 * its allowance, LOCAL_SHARE of what the store last said remains; otherwise it waits for the next flush, which adds
 * it to the store and admits it only if its place in the store's count is within the limit (exact, as a direct
 * upsert would be; concurrent waiters share the statement). A counter the store reported spent is refused from
 * memory until its window ends.
 *
 * Why the error bound holds: admissions confirmed by the store at a place within the limit never exceed it. What
 * can exceed it is only what an instance admitted unconfirmed, and each instance has at most one such run past
 * the limit: its allowance is at most LOCAL_SHARE × limit, and once the store has answered a total at or over the
 * limit the allowance is 0 until the window ends. So N instances admit at most limit × (1 + N × LOCAL_SHARE).
 * The allowance shrinks as the budget is spent, so a nearly spent budget is counted in the store request by
 * request, and a far-from-spent one (the common case) costs one statement per flush interval.
 *
 * When the store is unreachable the decisions are taken from memory (known + unconfirmed), and the points are
 * sent with a later flush.
 */
export class BatchedCounters {
  private readonly counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private again = false;
  private soon = false;
  private closed = false;

  constructor(private readonly store: CounterStore) {}

  /** A limiter over this set of counters: `points` per `durationSeconds` window, keys stored as `<prefix>:<key>`. */
  limiter(keyPrefix: string, points: number, durationSeconds: number) {
    return {
      points,
      consume: (key: string): Promise<RateLimiterRes> =>
        this.consume(`${keyPrefix}:${key}`, points, durationSeconds * 1000),
    };
  }

  consume(storeKey: string, limit: number, durationMs: number): Promise<RateLimiterRes> {
    const now = Date.now();
    let counter = this.counters.get(storeKey);
    if (!counter) {
      counter = {
        limit,
        durationMs,
        known: 0,
        expire: 0,
        pending: 0,
        inFlight: 0,
        allowance: localAllowance(limit, 0),
        waiting: [],
      };
      this.counters.set(storeKey, counter);
    } else if (counter.expire && counter.expire <= now) {
      // The window the store told of has ended: the next one starts empty.
      counter.known = 0;
      counter.expire = 0;
      counter.allowance = localAllowance(limit, 0);
    }
    const msLeft = counter.expire ? counter.expire - now : durationMs;
    if (counter.expire && counter.known >= limit) {
      return Promise.reject(new RateLimiterRes(0, msLeft, counter.known, false));
    }
    if (counter.pending + counter.inFlight < counter.allowance) {
      counter.pending++;
      this.flushLater();
      const consumed = counter.known + counter.pending + counter.inFlight;
      return Promise.resolve(new RateLimiterRes(Math.max(0, limit - consumed), msLeft, consumed, false));
    }
    return new Promise((resolve, reject) => {
      counter.waiting.push({ resolve, reject });
      this.flushSoon();
    });
  }

  /** Sends what is pending now and waits for the answer (close() at shutdown). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.send().finally(() => (this.flushing = undefined));
    await this.flushing;
    if (this.again) {
      this.again = false;
      await this.flush();
    }
  }

  /** Forgets counters whose window has ended and that hold nothing unsent. */
  prune(): void {
    const now = Date.now();
    for (const [key, c] of this.counters) {
      if (c.expire && c.expire <= now && !c.pending && !c.inFlight && !c.waiting.length) this.counters.delete(key);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private flushLater(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Requests are waiting: send with the next turn of the event loop (what arrives meanwhile joins the batch). */
  private flushSoon(): void {
    if (this.soon) return;
    this.soon = true;
    setImmediate(() => {
      this.soon = false;
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing) {
      this.again = true;
      return;
    }
    void this.flush();
  }

  private async send(): Promise<void> {
    const sent: { key: string; counter: Counter; points: number; waiters: Waiter[] }[] = [];
    for (const [key, counter] of this.counters) {
      if (!counter.pending && !counter.waiting.length) continue;
      const waiters = counter.waiting.splice(0);
      sent.push({ key, counter, points: counter.pending, waiters });
      counter.inFlight += counter.pending;
      counter.pending = 0;
    }
    if (!sent.length) return;
    let states: Map<string, CounterState> | undefined;
    try {
      states = await this.store.add(
        sent.map((s) => ({ key: s.key, points: s.points + s.waiters.length, durationMs: s.counter.durationMs })),
      );
    } catch {
      states = undefined;
    }
    const now = Date.now();
    for (const { key, counter, points, waiters } of sent) {
      counter.inFlight -= points;
      const state = states?.get(key);
      if (!state) {
        // The store did not answer: decide from memory, and send these points again later.
        counter.pending += points;
        for (const waiter of waiters) {
          const consumed = counter.known + counter.pending + counter.inFlight + 1;
          if (consumed <= counter.limit) {
            counter.pending++;
            waiter.resolve(new RateLimiterRes(counter.limit - consumed, counter.durationMs, consumed, false));
          } else waiter.reject(new RateLimiterRes(0, counter.durationMs, consumed, false));
        }
        continue;
      }
      counter.known = state.points;
      counter.expire = state.expire;
      counter.allowance = localAllowance(counter.limit, state.points);
      // The waiters' points are the last ones the statement added: their places in the store's count.
      const first = state.points - waiters.length + 1;
      waiters.forEach((waiter, i) => {
        const place = first + i;
        const res = new RateLimiterRes(Math.max(0, counter.limit - place), state.expire - now, place, false);
        if (place <= counter.limit) waiter.resolve(res);
        else waiter.reject(res);
      });
    }
    if (sent.some((s) => s.counter.pending)) this.flushLater();
  }
}
