/**
 * Work done after the caller has been answered, one job at a time, with a bound on what may wait: when the work
 * cannot keep up (the database is slow or away) new jobs are refused instead of piling up in memory.
 */
export class BackgroundQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = false;
  private busy = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  private failedJobs = 0;

  constructor(
    private readonly max: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Queues `job` to run after the current tick; false (and nothing queued) when `max` jobs already wait. */
  push(job: () => Promise<void>): boolean {
    if (this.waiting.length >= this.max) return false;
    this.waiting.push(job);
    if (!this.running) {
      this.running = true;
      this.idle = new Promise((resolve) => (this.markIdle = resolve));
      // After a whole turn of the event loop, its I/O included: the caller's answer is on its way, and a caller in
      // this process (the embedded database shares the thread) has read it, before any of the work starts.
      setTimeout(() => void this.drain(), 1);
    }
    return true;
  }

  /** Jobs waiting or running. */
  get size(): number {
    return this.waiting.length + (this.busy ? 1 : 0);
  }

  /** Jobs that failed since start (each one was reported to onError). */
  get failed(): number {
    return this.failedJobs;
  }

  /** Resolves once every queued job has run (shutdown; tests). */
  settled(): Promise<void> {
    return this.idle;
  }

  private async drain(): Promise<void> {
    for (let job = this.waiting.shift(); job; job = this.waiting.shift()) {
      this.busy = true;
      try {
        await job();
      } catch (err) {
        this.failedJobs++;
        this.onError(err);
      } finally {
        this.busy = false;
      }
    }
    this.running = false;
    this.markIdle();
  }
}
