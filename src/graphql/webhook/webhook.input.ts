import { ArrayMaxSize, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType('WebhookEndpointCreateInput', { description: 'A new webhook endpoint.' })
export class WebhookEndpointCreateInput {
  @Field(() => ID, { description: 'The organization whose events are sent.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => String, { description: 'An https URL (private and link-local addresses are refused).' })
  @MaxLength(2000)
  url!: string;

  @Field(() => [String], { nullable: true, description: 'The event types to send; omitted or null for all.' })
  @ArrayMaxSize(50)
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true, description: 'What the endpoint is for.' })
  @MaxLength(500)
  description?: string;
}

@InputType('WebhookEndpointUpdateInput', {
  description: 'Changes to a webhook endpoint; omitted fields keep their value.',
})
export class WebhookEndpointUpdateInput {
  @Field(() => ID, { description: 'The organization of the endpoint.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The endpoint.' })
  @IsUUID('all')
  endpointId!: string;

  @Field(() => String, { nullable: true, description: 'A new https URL.' })
  @MaxLength(2000)
  url?: string;

  @Field(() => [String], { nullable: true, description: 'The event types to send (see allEventTypes).' })
  @ArrayMaxSize(50)
  eventTypes?: string[];

  @Field(() => Boolean, { nullable: true, description: 'true: send every event type (eventTypes is then ignored).' })
  allEventTypes?: boolean;

  @Field(() => String, { nullable: true, description: 'What the endpoint is for ("" clears it).' })
  @MaxLength(500)
  description?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Turn sending off or back on (on again: the waiting deliveries are sent).',
  })
  enabled?: boolean;
}

@InputType('WebhookEndpointRefInput', { description: 'One webhook endpoint of an organization.' })
export class WebhookEndpointRefInput {
  @Field(() => ID, { description: 'The organization of the endpoint.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The endpoint.' })
  @IsUUID('all')
  endpointId!: string;
}

@InputType('WebhookDeliveryRetryInput', { description: 'A delivery to send again now.' })
export class WebhookDeliveryRetryInput {
  @Field(() => ID, { description: 'The organization of the delivery.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => ID, { description: 'The delivery (WebhookDelivery.id).' })
  @IsUUID('all')
  deliveryId!: string;
}
