import { ApiKeyRepository } from '../repositories/api-key.repository';
import { BaseService } from './base';

/** How long a stamp waits for others to share its statement. */
const FLUSH_INTERVAL_MS = 1_000;
/** Keys remembered between flushes; one more starts a flush at once, so memory stays bounded under any load. */
const MAX_PENDING = 10_000;

/**
 * The "last used" time of SCIM keys and access tokens, written off the request path: a request that uses a key
 * only notes it here, and the notes of every key go to the database in one statement a second later. Readers of
 * `lastUsedAt` call flush() first, and shutdown flushes what is left, so a stamp is late by a second at most, never
 * lost by a clean stop. A stamp only moves forward: a late batch cannot undo a newer one from another instance.
 */
export class LastUsedStamps extends BaseService {
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  /** Notes that the key was used now. */
  stamp(keyId: string, at = new Date()): void {
    this.pending.set(keyId, at);
    if (this.pending.size >= MAX_PENDING) {
      void this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Writes the pending stamps; a failed batch (database away) is logged and dropped: stamps are advisory. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = [...this.pending];
    this.pending = new Map();
    this.flushing = this.flushing.then(async () => {
      if (!batch.length) return;
      try {
        await this.read((em) => new ApiKeyRepository(em).stampLastUsedMany(batch));
      } catch (err) {
        this.deps.logger.warn({ err: (err as Error).message, keys: batch.length }, 'last-used stamps not written');
      }
    });
    return this.flushing;
  }
}
