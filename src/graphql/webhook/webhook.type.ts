import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { WebhookDeliveryStatus } from '../../domain/enums';
import { type WebhookDeliveryView, type WebhookEndpointView } from '../../read-models/webhook.view';
import { connectionOf } from '../common/connection.type';
import { UserError } from '../common/user-error.type';

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a delivery stands.',
  valuesConfig: {
    PENDING: { description: 'Not delivered yet: due now or retried at nextAttemptAt.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Given up: every retry failed, or the receiver answered 410 Gone.' },
  },
});

@ObjectType('WebhookEndpoint', {
  simpleResolvers: true,
  description: "Where the organization's change events are sent, signed (Standard Webhooks). Never its secret.",
})
export class WebhookEndpointNode {
  @Field(() => ID, { description: 'The endpoint id.' })
  id!: string;

  @Field(() => String, { description: 'The https URL events are POSTed to.' })
  url!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'The event types sent to this endpoint; null for every type (see webhookEventTypes).',
  })
  eventTypes!: string[] | null;

  @Field(() => String, { nullable: true, description: 'What the endpoint is for.' })
  description!: string | null;

  @Field(() => Boolean, { description: 'Whether events are sent; deliveries wait while it is off.' })
  enabled!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Why orgd turned the endpoint off (410 Gone, or failing for 3 days); null otherwise.',
  })
  disabledReason!: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'Since when deliveries have been failing without a success; null while they succeed.',
  })
  failingSince!: Date | null;

  @Field(() => GraphQLISODateTime, { description: 'When the endpoint was added.' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When the endpoint last changed.' })
  updatedAt!: Date;

  organizationId!: string;

  static from(e: WebhookEndpointView): WebhookEndpointNode {
    return Object.assign(new WebhookEndpointNode(), { ...e, eventTypes: e.eventTypes ? [...e.eventTypes] : null });
  }
}

@ObjectType('WebhookDelivery', { simpleResolvers: true, description: 'One event owed to one endpoint.' })
export class WebhookDeliveryNode {
  @Field(() => ID, { description: 'The delivery id (for webhookDeliveryRetry).' })
  id!: string;

  @Field(() => String, { description: 'The webhook-id header: the same on every attempt; receivers dedupe on it.' })
  webhookId!: string;

  @Field(() => String, { description: 'The event type, e.g. member.invited.' })
  eventType!: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Delivered, waiting, or given up.' })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attempts!: number;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status at the last attempt; null if none." })
  lastStatusCode!: number | null;

  @Field(() => Int, { nullable: true, description: 'How long the last attempt took, in milliseconds.' })
  durationMs!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (timeout, refused address, …).' })
  lastError!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the next attempt is due; null when done.' })
  nextAttemptAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the receiver accepted it.' })
  deliveredAt!: Date | null;

  @Field(() => GraphQLISODateTime, { description: 'When the event was written.' })
  createdAt!: Date;

  static from(d: WebhookDeliveryView): WebhookDeliveryNode {
    return Object.assign(new WebhookDeliveryNode(), {
      id: d.id,
      webhookId: d.eventId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      durationMs: d.lastDurationMs,
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
    });
  }
}

export const WebhookDeliveryConnection = connectionOf(WebhookDeliveryNode, 'WebhookDelivery', 'webhook deliveries');

@ObjectType('WebhookEndpointPayload', { description: 'Result of a mutation on one webhook endpoint.' })
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpointNode, { nullable: true, description: 'The endpoint after the change; null on failure.' })
  endpoint!: WebhookEndpointNode | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The signing secret (whsec_…), in clear, shown this once: set by webhookEndpointCreate and webhookEndpointSecretRotate.',
  })
  secret!: string | null;

  @Field(() => [UserError], { description: 'Why the change did not happen; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('WebhookEndpointDeletePayload', { description: 'Result of webhookEndpointDelete.' })
export class WebhookEndpointDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted endpoint; null when it failed.' })
  deletedEndpointId!: string | null;

  @Field(() => [UserError], { description: 'Why the endpoint was not deleted; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('WebhookDeliveryPayload', { description: 'Result of webhookEndpointTest or webhookDeliveryRetry.' })
export class WebhookDeliveryPayload {
  @Field(() => WebhookDeliveryNode, { nullable: true, description: 'The delivery queued; null on failure.' })
  delivery!: WebhookDeliveryNode | null;

  @Field(() => [UserError], { description: 'Why nothing was queued; empty on success.' })
  userErrors!: UserError[];
}
