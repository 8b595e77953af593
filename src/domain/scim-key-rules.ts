import { invalidInput } from './errors';

/**
 * How long a rotated-out SCIM key may keep working beside its successor: long enough to paste the new key into the
 * identity provider over a weekend, short enough that a forgotten overlap ends on its own.
 */
export const MAX_PREVIOUS_KEY_VALID_MINUTES = 7 * 24 * 60;

/**
 * When the previous key stops working after a rotation at `now`: null when it stops at once (0 or omitted, the
 * answer to a leaked key). A value that is not a whole number of minutes from 0 to the maximum is refused.
 */
export function previousKeyValidUntil(minutes: number | undefined, now: Date): Date | null {
  if (minutes === undefined || minutes === 0) return null;
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_PREVIOUS_KEY_VALID_MINUTES)
    throw invalidInput(
      `previousKeyValidMinutes must be a whole number of minutes from 0 to ${MAX_PREVIOUS_KEY_VALID_MINUTES} (7 days)`,
      'previousKeyValidMinutes',
    );
  return new Date(now.getTime() + minutes * 60_000);
}

/** Which of an organization's working SCIM keys authenticated a request. */
export enum ScimKeyStatus {
  /** The key issued last. */
  CURRENT = 'CURRENT',
  /** The key it replaced, still working until the end of the rotation's overlap. */
  PREVIOUS = 'PREVIOUS',
}
