import { performance } from 'node:perf_hooks';

/** Above this share of the last window spent running code, the event loop counts as saturated. */
const SATURATED_AT = 0.9;
const WINDOW_MS = 500;
/** Background work's pause before its next batch while requests saturate the process. */
export const SATURATED_PAUSE_MS = 500;

/** How background senders (webhook deliveries, e-mail) learn when to give way to requests. */
export interface LoadGauge {
  /** `ms`, or SATURATED_PAUSE_MS at least while requests saturate the process. */
  paced(ms: number): number;
}

/**
 * Whether this process's event loop has lately been saturated, as it is while an IdP's sync keeps every request
 * slot busy. Background senders then give way: they pause between batches rather than compete with the requests
 * for the one thread, so a backlog drains at a floor of a batch per pause, and at full speed again once the load
 * falls. Measured with Node's event-loop utilization over the last completed window, so asking is cheap and the
 * answer changes at most every WINDOW_MS.
 */
export class EventLoopLoad implements LoadGauge {
  private last = performance.eventLoopUtilization();
  private sampledAt = Date.now();
  private saturatedNow = false;

  saturated(): boolean {
    const now = Date.now();
    if (now - this.sampledAt >= WINDOW_MS) {
      const current = performance.eventLoopUtilization();
      this.saturatedNow = performance.eventLoopUtilization(current, this.last).utilization >= SATURATED_AT;
      this.last = current;
      this.sampledAt = now;
    }
    return this.saturatedNow;
  }

  paced(ms: number): number {
    return this.saturated() ? Math.max(ms, SATURATED_PAUSE_MS) : ms;
  }
}
