/** The change events an organization's webhook endpoints may subscribe to (docs/webhooks.md shows each body). */
export const WEBHOOK_EVENT_TYPES = [
  'member.invited',
  'member.accepted',
  'member.confirmed',
  'member.updated',
  'member.revoked',
  'member.restored',
  'member.removed',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.members_added',
  'group.members_removed',
  'scim.settings_updated',
  'scim.key_rotated',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent to one endpoint on request (webhookEndpointTest); never subscribed to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** An organization has at most this many endpoints. */
export const WEBHOOK_ENDPOINTS_PER_ORGANIZATION = 10;

/** Member ids one group.members_added / group.members_removed event carries at most; more make several events. */
export const WEBHOOK_MEMBER_IDS_PER_EVENT = 1000;

export const isWebhookEventType = (type: string): type is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);

/** Whether an endpoint subscribed to `eventTypes` (null: all) wants `type`. */
export const subscribes = (eventTypes: readonly string[] | null, type: string): boolean =>
  eventTypes === null || eventTypes.includes(type);

/**
 * Waits after the n-th failed attempt (1-based): about 5 s, 1 min, 10 min, 1 h, 6 h, 24 h; then the delivery is
 * given up. Each wait is jittered by up to ±20 % so that a receiver coming back is not hit by every retry at once.
 */
export const WEBHOOK_RETRY_DELAYS_SECONDS = [5, 60, 600, 3600, 6 * 3600, 24 * 3600] as const;

export function retryDelaySeconds(failedAttempts: number, random: number = Math.random()): number | null {
  const base = WEBHOOK_RETRY_DELAYS_SECONDS[failedAttempts - 1];
  if (base === undefined) return null;
  return Math.max(1, Math.round(base * (0.8 + 0.4 * random)));
}

/** After failing this long without a success, an endpoint is turned off and the owners are told. */
export const WEBHOOK_FAILING_DISABLE_AFTER_MS = 3 * 24 * 3600 * 1000;
