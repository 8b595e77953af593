/** Rows deleted per statement: a large backlog is cleared in short statements, each holding its row locks briefly. */
export const PURGE_BATCH = 1000;
/** Statements per run: a run stays bounded in time; whatever is left goes at the next run. */
export const PURGE_BATCHES_PER_RUN = 50;
/** How often a running server purges (each instance; the statements skip rows another instance is deleting). */
export const PURGE_INTERVAL_MS = 10 * 60_000;

/** Runs `deleteBatch` until a batch comes back short (nothing left) or the run's budget is spent; returns the total. */
export async function purgeInBatches(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < PURGE_BATCHES_PER_RUN; i++) {
    const deleted = await deleteBatch(PURGE_BATCH);
    total += deleted;
    if (deleted < PURGE_BATCH) break;
  }
  return total;
}

/**
 * Runs `purge` every interval until stop(). A run never overlaps the previous one, a failed run (database away) is
 * reported and the next one tries again, and stop() waits for a run in progress so the database can close after it.
 */
export class PeriodicPurge {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly purge: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(intervalMs = PURGE_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.runOnce(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private runOnce(): void {
    if (this.running) return;
    this.running = this.purge()
      .then(() => undefined, this.onError)
      .finally(() => (this.running = null));
  }
}
