import { performance } from 'node:perf_hooks';

/** Above this share of the last window spent running code, the event loop counts as saturated. */
const SATURATED_AT = 0.9;
const WINDOW_MS = 500;

/**
 * Whether this process's event loop has lately been saturated, as it is while an IdP's sync keeps every request
 * slot busy. Background senders (webhook deliveries) then give way: they pause between batches rather than compete
 * with the requests for the one thread, and catch up once the load falls. Measured with Node's event-loop
 * utilization over the last completed window, so asking is cheap and the answer changes at most every WINDOW_MS.
 */
export class EventLoopLoad {
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
}
