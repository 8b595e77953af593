import { randomUUID } from 'node:crypto';
import { type Actor } from '../domain/actor';
import { DomainError, ErrorCode, invalidInput, notFound } from '../domain/errors';
import { isUuid } from '../domain/ids';
import {
  WEBHOOK_ENDPOINTS_PER_ORGANIZATION,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT,
  isWebhookEventType,
} from '../domain/webhook-events';
import { type WebhookEndpoint } from '../entities';
import { type Page, type PageRequest } from '../repositories/pagination';
import { type Transaction, flush } from '../repositories/unit-of-work';
import { notifyCredentialChange } from '../repositories/change-notifications';
import { WebhookOutboxRepository } from '../repositories/webhook-outbox.repository';
import { WebhookRepository } from '../repositories/webhook.repository';
import { authorize } from './access';
import { recordAudit } from './audit';
import { BaseService, type ServiceDeps } from './base';
import { type WebhookDeliveryView, type WebhookEndpointView, webhookEndpointView } from '../read-models/webhook.view';
import { urlProblem } from './webhooks/address-policy';
import { actorBody, eventBody } from './webhooks/event-body';
import { newMessageId } from './webhooks/publish';
import { type SecretBox, newSigningSecret } from './webhooks/secret-box';

export interface WebhookEndpointInput {
  url: string;
  /** null or absent: every event type. */
  eventTypes?: string[] | null;
  description?: string | null;
}

export interface WebhookEndpointChanges {
  url?: string;
  eventTypes?: string[] | null;
  description?: string | null;
  enabled?: boolean;
}

/** An endpoint with its signing secret in clear: returned by create and rotate, this once. */
export interface WebhookEndpointWithSecret {
  endpoint: WebhookEndpointView;
  secret: string;
}

/** An organization's webhook endpoints: the manageWebhooks permission, up to 10 of them, secrets shown once. */
export class WebhookService extends BaseService {
  constructor(
    deps: ServiceDeps,
    private readonly secrets: SecretBox,
  ) {
    super(deps);
  }

  async list(actor: Actor, organizationId: string): Promise<WebhookEndpointView[]> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'manageWebhooks', { answerOnly: true });
      return (await new WebhookRepository(em).list(organizationId)).map(webhookEndpointView);
    });
  }

  /**
   * A write that changes which endpoints an organization has, or what they subscribe to: every instance drops its
   * cached list when it commits (see WebhookSubscriptions), this one at once.
   */
  private async writeEndpoints<T>(organizationId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
    const result = await this.write(async (tx) => {
      const value = await work(tx);
      await notifyCredentialChange(tx, { kind: 'webhooks', organizationId });
      return value;
    });
    this.deps.webhookSubscriptions?.invalidate(organizationId);
    return result;
  }

  async get(actor: Actor, organizationId: string, endpointId: string): Promise<WebhookEndpointView> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'manageWebhooks', { answerOnly: true });
      return webhookEndpointView(await load(em, organizationId, endpointId));
    });
  }

  async create(actor: Actor, organizationId: string, input: WebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
    return this.writeEndpoints(organizationId, async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageWebhooks');
      const url = this.checkUrl(input.url);
      const eventTypes = checkEventTypes(input.eventTypes ?? null);
      const description = checkDescription(input.description ?? null);
      const repo = new WebhookRepository(tx);
      if ((await repo.countLocked(organizationId)) >= WEBHOOK_ENDPOINTS_PER_ORGANIZATION)
        throw new DomainError(
          ErrorCode.INVALID_STATE,
          `an organization has at most ${WEBHOOK_ENDPOINTS_PER_ORGANIZATION} webhook endpoints`,
        );
      const id = randomUUID();
      const secret = newSigningSecret();
      const endpoint = repo.create({
        id,
        organizationId,
        url,
        eventTypes,
        description,
        secretCiphertext: this.secrets.seal(secret, id),
      });
      recordAudit(
        tx,
        actor,
        organizationId,
        'webhook.endpoint_created',
        { type: 'webhook', id },
        { url, eventTypes },
        access.membership?.id,
      );
      await flush(tx);
      return { endpoint: webhookEndpointView(endpoint), secret };
    });
  }

  async update(
    actor: Actor,
    organizationId: string,
    endpointId: string,
    changes: WebhookEndpointChanges,
  ): Promise<WebhookEndpointView> {
    return this.writeEndpoints(organizationId, async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageWebhooks');
      const endpoint = await load(tx, organizationId, endpointId, true);
      if (changes.url !== undefined) endpoint.url = this.checkUrl(changes.url);
      if (changes.eventTypes !== undefined) endpoint.eventTypes = checkEventTypes(changes.eventTypes);
      if (changes.description !== undefined) endpoint.description = checkDescription(changes.description);
      if (changes.enabled !== undefined && changes.enabled !== endpoint.enabled) {
        endpoint.enabled = changes.enabled;
        // Turned back on: a fresh start (the waiting deliveries are sent, the 3-day clock restarts).
        endpoint.disabledReason = null;
        endpoint.failingSince = null;
      }
      recordAudit(
        tx,
        actor,
        organizationId,
        'webhook.endpoint_updated',
        { type: 'webhook', id: endpoint.id },
        { ...changes },
        access.membership?.id,
      );
      await flush(tx);
      return webhookEndpointView(endpoint);
    });
  }

  async delete(actor: Actor, organizationId: string, endpointId: string): Promise<void> {
    await this.writeEndpoints(organizationId, async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageWebhooks');
      const endpoint = await load(tx, organizationId, endpointId, true);
      new WebhookRepository(tx).remove(endpoint);
      recordAudit(
        tx,
        actor,
        organizationId,
        'webhook.endpoint_deleted',
        { type: 'webhook', id: endpoint.id },
        { url: endpoint.url },
        access.membership?.id,
      );
    });
  }

  /** A new signing secret; the old one stops signing with this commit (receivers switch to the new one). */
  async rotateSecret(actor: Actor, organizationId: string, endpointId: string): Promise<WebhookEndpointWithSecret> {
    return this.write(async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageWebhooks');
      const endpoint = await load(tx, organizationId, endpointId, true);
      const secret = newSigningSecret();
      await new WebhookRepository(tx).setSecret(endpoint.id, this.secrets.seal(secret, endpoint.id));
      recordAudit(
        tx,
        actor,
        organizationId,
        'webhook.secret_rotated',
        { type: 'webhook', id: endpoint.id },
        null,
        access.membership?.id,
      );
      return { endpoint: webhookEndpointView(endpoint), secret };
    });
  }

  /** Queues a `webhook.test` event to this endpoint only; returns its delivery. */
  async sendTest(actor: Actor, organizationId: string, endpointId: string): Promise<WebhookDeliveryView> {
    return this.write(async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageWebhooks');
      const endpoint = await load(tx, organizationId, endpointId);
      const outbox = new WebhookOutboxRepository(tx);
      const id = newMessageId();
      const deliveryId = randomUUID();
      const audit = recordAudit(
        tx,
        actor,
        organizationId,
        'webhook.test_sent',
        { type: 'webhook', id: endpoint.id },
        { webhookId: id },
        access.membership?.id,
      );
      await outbox.insertAddressed(
        organizationId,
        {
          id,
          type: WEBHOOK_TEST_EVENT,
          body: eventBody({
            type: WEBHOOK_TEST_EVENT,
            timestamp: new Date(),
            organizationId,
            actor: actorBody(actor, audit),
            data: { endpointId: endpoint.id, message: 'A test event sent from orgd.' },
          }),
        },
        { id: deliveryId, endpointId: endpoint.id },
      );
      const delivery = await new WebhookRepository(tx).delivery(deliveryId);
      if (!delivery) throw notFound('delivery');
      return delivery;
    });
  }

  async deliveries(
    actor: Actor,
    organizationId: string,
    endpointId: string,
    page: PageRequest,
  ): Promise<Page<WebhookDeliveryView>> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'manageWebhooks', { answerOnly: true });
      await load(em, organizationId, endpointId);
      return new WebhookRepository(em).deliveries(endpointId, page);
    });
  }

  /** Sends a delivery again now (delivered or given up ones too): the same `webhook-id`, the same body. */
  async retryDelivery(actor: Actor, organizationId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    return this.write(async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageWebhooks');
      const repo = new WebhookRepository(tx);
      const endpointId = await repo.retry(organizationId, deliveryId);
      if (!endpointId) throw notFound('delivery');
      recordAudit(
        tx,
        actor,
        organizationId,
        'webhook.delivery_retried',
        { type: 'webhook', id: endpointId },
        { deliveryId },
        access.membership?.id,
      );
      const delivery = await repo.delivery(deliveryId);
      if (!delivery) throw notFound('delivery');
      return delivery;
    });
  }

  private checkUrl(raw: string): string {
    const url = raw.trim();
    const problem = urlProblem(url, this.deps.config.WEBHOOK_ALLOW_PRIVATE_NETWORKS);
    if (problem) throw invalidInput(`url ${problem}`, 'url');
    return url;
  }
}

async function load(em: Transaction, organizationId: string, id: string, forWrite = false): Promise<WebhookEndpoint> {
  const endpoint = isUuid(id) ? await new WebhookRepository(em).find(organizationId, id, forWrite) : null;
  if (!endpoint) throw notFound('webhook endpoint');
  return endpoint;
}

function checkEventTypes(types: string[] | null): string[] | null {
  if (types === null) return null;
  if (!types.length)
    throw invalidInput('eventTypes must name at least one event type, or be null for all', 'eventTypes');
  const unknown = types.filter((t) => !isWebhookEventType(t));
  if (unknown.length)
    throw invalidInput(
      `unknown event types: ${unknown.slice(0, 5).join(', ')} (known: ${WEBHOOK_EVENT_TYPES.join(', ')})`,
      'eventTypes',
    );
  return [...new Set(types)];
}

function checkDescription(description: string | null): string | null {
  const value = description?.trim() || null;
  if (value && value.length > 500) throw invalidInput('description is longer than 500 characters', 'description');
  return value;
}
