import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A high-entropy secret shown once; only its sha256 is stored (no slow hash needed at 256 bits of entropy). */
export function generateSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The hint shown in lists: the last characters only. */
export function secretHint(secret: string): string {
  return `…${secret.slice(-6)}`;
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** How stale a key's lastUsedAt may get: stamping it on every request would be a write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;
