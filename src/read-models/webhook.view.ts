import { type WebhookDeliveryStatus } from '../domain/enums';
import { type WebhookEndpoint } from '../entities';

/** A webhook endpoint as the transports read it: never its secret. */
export interface WebhookEndpointView {
  readonly id: string;
  readonly organizationId: string;
  readonly url: string;
  /** null: every event type. */
  readonly eventTypes: readonly string[] | null;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly failingSince: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One event owed to one endpoint, with the outcome of its last attempt. */
export interface WebhookDeliveryView {
  readonly id: string;
  readonly endpointId: string;
  /** The `webhook-id` header: the event's id, the same on every attempt. */
  readonly eventId: string;
  readonly eventType: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastDurationMs: number | null;
  readonly lastError: string | null;
  /** When the next attempt is due; null once delivered or given up. */
  readonly nextAttemptAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
}

export function webhookEndpointView(e: WebhookEndpoint): WebhookEndpointView {
  return {
    id: e.id,
    organizationId: e.organization.id,
    url: e.url,
    eventTypes: e.eventTypes,
    description: e.description,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    failingSince: e.failingSince,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
