import { EventLoopLoad, SATURATED_PAUSE_MS } from '../../src/services/event-loop-load';

/** Keeps the event loop busy running code for `ms`, as a burst of requests does. */
function busyFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) Math.sqrt(Math.random());
}

const idleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the event-loop load that background senders give way to', () => {
  it('paces only while the loop has been saturated, and lets go once it idles', async () => {
    const load = new EventLoopLoad();
    expect(load.paced(0)).toBe(0); // nothing measured yet: full speed

    busyFor(600);
    expect(load.saturated()).toBe(true);
    expect(load.paced(0)).toBe(SATURATED_PAUSE_MS);
    expect(load.paced(1000)).toBe(1000); // a longer wait is kept

    await idleFor(600);
    expect(load.saturated()).toBe(false);
    expect(load.paced(0)).toBe(0);
  });
});
