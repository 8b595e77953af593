import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhook-events';
import { type WebhookEndpointWithSecret } from '../../services/webhook.service';
import { type Connection } from '../common/connection.type';
import { connectionFromPage } from '../common/connections';
import { ForwardPageArgs } from '../common/page.args';
import { mutationPayload } from '../payload';
import { GraphQLContext } from '../context';
import { attempt } from '../errors';
import { OrganizationNode } from '../organization/organization.type';
import {
  WebhookDeliveryRetryInput,
  WebhookEndpointCreateInput,
  WebhookEndpointRefInput,
  WebhookEndpointUpdateInput,
} from './webhook.input';
import {
  WebhookDeliveryConnection,
  WebhookDeliveryNode,
  WebhookDeliveryPayload,
  WebhookEndpointDeletePayload,
  WebhookEndpointNode,
  WebhookEndpointPayload,
} from './webhook.type';

async function withSecret(
  ctx: GraphQLContext,
  work: () => Promise<WebhookEndpointWithSecret>,
): Promise<WebhookEndpointPayload> {
  const outcome = await attempt(work);
  ctx.afterWrite();
  return {
    endpoint: outcome.value ? WebhookEndpointNode.from(outcome.value.endpoint) : null,
    secret: outcome.value?.secret ?? null,
    userErrors: outcome.userErrors,
  };
}

@Resolver(() => WebhookEndpointNode)
export class WebhookResolver {
  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Deliveries to this endpoint, newest first.' })
  async deliveries(
    @Root() endpoint: WebhookEndpointNode,
    @Args(() => ForwardPageArgs) args: ForwardPageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<WebhookDeliveryNode>> {
    const page = await ctx.services.webhooks.deliveries(ctx.actor, endpoint.organizationId, endpoint.id, args);
    return connectionFromPage(page, WebhookDeliveryNode.from);
  }

  @Mutation(() => WebhookEndpointPayload, {
    description: 'Add a webhook endpoint (at most 10 per organization); its signing secret is returned this once.',
  })
  webhookEndpointCreate(
    @Arg('input', () => WebhookEndpointCreateInput, { description: 'The endpoint.' }) input: WebhookEndpointCreateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointPayload> {
    const { organizationId, url, eventTypes, description } = input;
    return withSecret(ctx, () =>
      ctx.services.webhooks.create(ctx.actor, organizationId, { url, eventTypes: eventTypes ?? null, description }),
    );
  }

  @Mutation(() => WebhookEndpointPayload, { description: 'Change a webhook endpoint; secret is null.' })
  webhookEndpointUpdate(
    @Arg('input', () => WebhookEndpointUpdateInput, { description: 'The endpoint and its changes.' })
    input: WebhookEndpointUpdateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointPayload> {
    const changes = {
      ...(input.url != null ? { url: input.url } : {}),
      ...(input.allEventTypes
        ? { eventTypes: null }
        : input.eventTypes != null
          ? { eventTypes: input.eventTypes }
          : {}),
      ...(input.description != null ? { description: input.description } : {}),
      ...(input.enabled != null ? { enabled: input.enabled } : {}),
    };
    return mutationPayload(
      ctx,
      'endpoint',
      () => ctx.services.webhooks.update(ctx.actor, input.organizationId, input.endpointId, changes),
      WebhookEndpointNode.from,
    ).then((payload) => ({ ...payload, secret: null }));
  }

  @Mutation(() => WebhookEndpointDeletePayload, { description: 'Remove a webhook endpoint and its delivery log.' })
  async webhookEndpointDelete(
    @Arg('input', () => WebhookEndpointRefInput, { description: 'The endpoint.' }) input: WebhookEndpointRefInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointDeletePayload> {
    const outcome = await attempt(() =>
      ctx.services.webhooks.delete(ctx.actor, input.organizationId, input.endpointId),
    );
    ctx.afterWrite();
    return { deletedEndpointId: outcome.userErrors.length ? null : input.endpointId, userErrors: outcome.userErrors };
  }

  @Mutation(() => WebhookEndpointPayload, {
    description: 'Give the endpoint a new signing secret, returned this once; the old one signs nothing more.',
  })
  webhookEndpointSecretRotate(
    @Arg('input', () => WebhookEndpointRefInput, { description: 'The endpoint.' }) input: WebhookEndpointRefInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpointPayload> {
    return withSecret(ctx, () => ctx.services.webhooks.rotateSecret(ctx.actor, input.organizationId, input.endpointId));
  }

  @Mutation(() => WebhookDeliveryPayload, { description: 'Send a webhook.test event to this endpoint.' })
  webhookEndpointTest(
    @Arg('input', () => WebhookEndpointRefInput, { description: 'The endpoint.' }) input: WebhookEndpointRefInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookDeliveryPayload> {
    return mutationPayload(
      ctx,
      'delivery',
      () => ctx.services.webhooks.sendTest(ctx.actor, input.organizationId, input.endpointId),
      WebhookDeliveryNode.from,
    );
  }

  @Mutation(() => WebhookDeliveryPayload, {
    description: 'Send a delivery again now, with the same webhook-id and body (delivered or given-up ones too).',
  })
  webhookDeliveryRetry(
    @Arg('input', () => WebhookDeliveryRetryInput, { description: 'The delivery.' }) input: WebhookDeliveryRetryInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookDeliveryPayload> {
    return mutationPayload(
      ctx,
      'delivery',
      () => ctx.services.webhooks.retryDelivery(ctx.actor, input.organizationId, input.deliveryId),
      WebhookDeliveryNode.from,
    );
  }
}

@Resolver(() => OrganizationNode)
export class OrganizationWebhooksResolver {
  @FieldResolver(() => [WebhookEndpointNode], {
    nullable: true,
    description: "The organization's webhook endpoints (needs the manageWebhooks permission).",
  })
  async webhookEndpoints(@Root() org: OrganizationNode, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpointNode[]> {
    return (await ctx.services.webhooks.list(ctx.actor, org.id)).map(WebhookEndpointNode.from);
  }

  @FieldResolver(() => [String], { description: 'Every event type a webhook endpoint may subscribe to.' })
  webhookEventTypes(): string[] {
    return [...WEBHOOK_EVENT_TYPES];
  }
}
