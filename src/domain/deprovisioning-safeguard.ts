import { DomainError, ErrorCode } from './errors';

/** What the identity provider asked for: SCIM `active: false` (PUT or PATCH), or SCIM DELETE of the user. */
export enum HeldDeprovisioningAction {
  DEACTIVATE = 'DEACTIVATE',
  DELETE = 'DELETE',
}

export enum HeldDeprovisioningStatus {
  HELD = 'HELD',
  APPLIED = 'APPLIED',
  DISCARDED = 'DISCARDED',
}

export interface SafeguardSettings {
  enabled: boolean;
  /** At most this many deprovisionings apply within the window; the next ones are held. */
  threshold: number;
  windowMinutes: number;
}

export const SAFEGUARD_DEFAULTS: SafeguardSettings = { enabled: true, threshold: 50, windowMinutes: 60 };
export const SAFEGUARD_MAX_THRESHOLD = 10_000;
/** One week. */
export const SAFEGUARD_MAX_WINDOW_MINUTES = 10_080;

/** INVALID_INPUT for a threshold or window out of range; the message names the field and its bounds. */
export function assertSafeguardSettings(settings: Partial<SafeguardSettings>): void {
  const { threshold, windowMinutes } = settings;
  if (
    threshold !== undefined &&
    !(Number.isInteger(threshold) && threshold >= 1 && threshold <= SAFEGUARD_MAX_THRESHOLD)
  )
    throw new DomainError(
      ErrorCode.INVALID_INPUT,
      `threshold must be a whole number from 1 to ${SAFEGUARD_MAX_THRESHOLD}`,
      'deprovisioningSafeguard.threshold',
    );
  if (
    windowMinutes !== undefined &&
    !(Number.isInteger(windowMinutes) && windowMinutes >= 1 && windowMinutes <= SAFEGUARD_MAX_WINDOW_MINUTES)
  )
    throw new DomainError(
      ErrorCode.INVALID_INPUT,
      `windowMinutes must be a whole number from 1 to ${SAFEGUARD_MAX_WINDOW_MINUTES} (7 days)`,
      'deprovisioningSafeguard.windowMinutes',
    );
}

/** Whether one more deprovisioning must be held, given how many applied within the window. */
export function mustHold(settings: SafeguardSettings, appliedInWindow: number): boolean {
  return settings.enabled && appliedInWindow >= settings.threshold;
}
