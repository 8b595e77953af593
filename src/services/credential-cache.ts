import { LRUCache } from 'lru-cache';
import { type ScimKeyStatus } from '../domain/scim-key-rules';
import { type CredentialChange } from '../repositories/change-notifications';
import { hashSecret, sameHash } from './secrets';

/**
 * How long a verified credential is trusted without asking the database. Changes are announced to every instance
 * as they commit (see ChangeListener); this is the backstop should an announcement be lost (a connection that died
 * silently), and it bounds how stale the cached provider or email may get. Each expiry costs one query per
 * credential in use, which is nothing next to a query per request.
 */
export const CREDENTIAL_TTL_MS = 5000;
/**
 * SCIM keys remembered per organization: its current key and, during a rotation's overlap, its previous one (both
 * in use while the identity provider switches; one entry would make them push each other out).
 */
const SCIM_KEYS_PER_ORGANIZATION = 2;
/** Credentials remembered per kind; the least recently used is forgotten first (it is then just looked up again). */
const MAX_ENTRIES = 10_000;
/** Longer secrets are refused by the verifiers without a lookup; they are not worth hashing here either. */
const MAX_SECRET_CHARS = 200;

/** Which SCIM key authenticated a request, and the provider its organization configured. */
export interface ScimKeyPrincipal {
  keyId: string;
  provider: string;
  /** The last characters of the key, as the settings show them. */
  hint: string;
  /** PREVIOUS: the key a rotation left working beside its successor until `validUntil`. */
  status: ScimKeyStatus;
  /** When the key stops working; null for the current key (until the next rotation). */
  validUntil: Date | null;
}

export type ScimKeyCheck = ScimKeyPrincipal | 'rejected' | 'unknown';

/** Whose access token was presented, and until when it works. */
export interface TokenPrincipal {
  tokenId: string;
  userId: string;
  email: string;
  expiresAt: Date | null;
}

/**
 * Verified SCIM keys and access tokens, in process, in front of the database lookups (which stay the authority).
 * - Only successes are kept: a wrong key is looked up every time, as before (those are rate limited per address, and
 *   remembering them would let a flood of made-up keys push the real ones out).
 * - A change (rotation, disabling SCIM, a revocation) drops the entry on the instance that made it as soon as it
 *   commits, and on the others when the notification arrives. A lookup that was in flight across a change is not
 *   stored: every change bumps `generation`, and a result is kept only if no change happened while it was read.
 * - An access token's entry never outlives the token's expiry, nor a previous SCIM key's the end of its overlap.
 * - On PostgreSQL the cache is used only while this instance listens for changes: when the listener's connection
 *   drops, the cache is emptied and bypassed until it is back (notifications sent meanwhile are lost).
 */
export class CredentialCache {
  /** By organization: the keys verified there lately, each with the instant it must be looked up again. */
  private readonly scimKeys = new LRUCache<string, ScimKeyEntry[]>({ max: MAX_ENTRIES });
  /** By hash of the token; the secret itself is never kept. */
  private readonly tokens = new LRUCache<string, TokenPrincipal>({ max: MAX_ENTRIES, ttl: CREDENTIAL_TTL_MS });
  private generation = 0;

  /** `trusted`: changes made elsewhere are heard (one process over PGlite, or a listener in place). */
  constructor(private trusted: boolean) {}

  /** The listener's state: entries from before a drop may have missed their invalidation, so none is kept. */
  setListening(listening: boolean): void {
    this.trusted = listening;
    this.clear();
  }

  clear(): void {
    this.generation++;
    this.scimKeys.clear();
    this.tokens.clear();
  }

  invalidate(change: Exclude<CredentialChange, { kind: 'webhooks' }>): void {
    this.generation++;
    if (change.kind === 'scim') {
      this.scimKeys.delete(change.organizationId.toLowerCase());
      return;
    }
    const tokenId = change.tokenId.toLowerCase();
    // Revocations are rare: a scan beats keeping a second index in step with the LRU's evictions. The hashes are
    // collected first: deleting while the LRU walks its list could skip entries.
    const revoked = [...this.tokens.entries()].filter(([, principal]) => principal.tokenId === tokenId);
    for (const [hash] of revoked) this.tokens.delete(hash);
  }

  /** The SCIM key check, answered from memory when this key of this organization was verified recently. */
  async scimKey(organizationId: string, presented: string, lookup: () => Promise<ScimKeyCheck>): Promise<ScimKeyCheck> {
    if (!this.trusted || !presented || presented.length > MAX_SECRET_CHARS) return lookup();
    const organization = organizationId.toLowerCase();
    const hash = hashSecret(presented);
    const now = Date.now();
    const fresh = (this.scimKeys.get(organization) ?? []).filter((entry) => entry.until > now);
    // Every entry is compared, so the time taken does not tell which of the keys matched.
    const matches = fresh.filter((entry) => sameHash(entry.hash, hash));
    if (matches.length) return matches[0].principal;
    const generation = this.generation;
    const result = await lookup();
    if (typeof result === 'object' && this.trusted && generation === this.generation) {
      const until = Math.min(Date.now() + CREDENTIAL_TTL_MS, result.validUntil?.getTime() ?? Infinity);
      const kept = (this.scimKeys.get(organization) ?? []).filter(
        (e) => e.until > Date.now() && !sameHash(e.hash, hash),
      );
      const entries = [{ hash, principal: result, until }, ...kept].slice(0, SCIM_KEYS_PER_ORGANIZATION);
      if (until > Date.now()) this.scimKeys.set(organization, entries);
    }
    return result;
  }

  /** The access-token check, answered from memory when this token was verified recently. */
  async accessToken(presented: string, lookup: () => Promise<TokenPrincipal | null>): Promise<TokenPrincipal | null> {
    if (!this.trusted || !presented || presented.length > MAX_SECRET_CHARS) return lookup();
    const hash = hashSecret(presented);
    const cached = this.tokens.get(hash);
    if (cached && !expired(cached)) return cached;
    const generation = this.generation;
    const result = await lookup();
    if (result && !expired(result) && this.trusted && generation === this.generation) {
      const untilExpiry = result.expiresAt ? result.expiresAt.getTime() - Date.now() : Infinity;
      this.tokens.set(hash, result, { ttl: Math.max(1, Math.min(CREDENTIAL_TTL_MS, untilExpiry)) });
    }
    return result;
  }
}

interface ScimKeyEntry {
  hash: string;
  principal: ScimKeyPrincipal;
  /** Epoch ms: the cache's bound, or the end of the key's overlap when that comes first. */
  until: number;
}

const expired = (principal: TokenPrincipal): boolean =>
  principal.expiresAt !== null && principal.expiresAt.getTime() <= Date.now();
