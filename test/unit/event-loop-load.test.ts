import { EventLoopLoad, SATURATED_PAUSE_MS } from '../../src/services/event-loop-load';

/** Keeps the event loop busy running code for `ms`, as a burst of requests does. */
function busyFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) Math.sqrt(Math.random());
}

const idleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Idles a window at a time until the gauge lets go. One idle window is enough on a quiet machine; on a shared one,
 * a garbage collection of what earlier test files left in this worker can fill a window of its own, so a few are
 * allowed. A gauge that never lets go still fails.
 */
async function idleUntilReleased(load: EventLoopLoad, windows = 8): Promise<number> {
  for (let waited = 1; waited <= windows; waited++) {
    await idleFor(600);
    if (!load.saturated()) return waited;
  }
  return Infinity;
}

describe('the event-loop load that background senders give way to', () => {
  it('paces only while the loop has been saturated, and lets go once it idles', async () => {
    const load = new EventLoopLoad();
    expect(load.paced(0)).toBe(0); // nothing measured yet: full speed

    busyFor(600);
    expect(load.saturated()).toBe(true);
    expect(load.paced(0)).toBe(SATURATED_PAUSE_MS);
    expect(load.paced(1000)).toBe(1000); // a longer wait is kept

    expect(await idleUntilReleased(load)).toBeLessThan(Infinity);
    expect(load.paced(0)).toBe(0);
  });
});
