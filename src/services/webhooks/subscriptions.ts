import { LRUCache } from 'lru-cache';
import { type SubscribedEndpoint } from '../../repositories/webhook-outbox.repository';

/** How long an organization's endpoint list is answered from memory at most. */
export const SUBSCRIPTIONS_TTL_MS = 5_000;
const MAX_ORGANIZATIONS = 10_000;

/**
 * The enabled webhook endpoints of each organization, as every write that announces events must know them. Most
 * organizations have none, and the SCIM hot path is one or two statements a request: reading the list in every
 * write would add one. So it is kept in memory, like the credential cache and under the same rules:
 * - at most SUBSCRIPTIONS_TTL_MS per entry;
 * - an endpoint change announces itself (`pg_notify` in its transaction) and every instance drops the organization's
 *   entry when it commits; the instance that made it also drops it at once;
 * - a look-up in flight across a change is not stored (`generation`);
 * - on PostgreSQL it is used only while this instance listens for those announcements; otherwise every write reads.
 */
export class WebhookSubscriptions {
  private readonly entries = new LRUCache<string, SubscribedEndpoint[]>({
    max: MAX_ORGANIZATIONS,
    ttl: SUBSCRIPTIONS_TTL_MS,
  });
  private generation = 0;

  /** `trusted`: changes made elsewhere are heard (one process over PGlite, or a listener in place). */
  constructor(private trusted: boolean) {}

  setListening(listening: boolean): void {
    this.trusted = listening;
    this.generation++;
    this.entries.clear();
  }

  invalidate(organizationId: string): void {
    this.generation++;
    this.entries.delete(organizationId.toLowerCase());
  }

  async endpoints(organizationId: string, lookup: () => Promise<SubscribedEndpoint[]>): Promise<SubscribedEndpoint[]> {
    if (!this.trusted) return lookup();
    const key = organizationId.toLowerCase();
    const cached = this.entries.get(key);
    if (cached) return cached;
    const generation = this.generation;
    const found = await lookup();
    if (this.trusted && generation === this.generation) this.entries.set(key, found);
    return found;
  }
}
