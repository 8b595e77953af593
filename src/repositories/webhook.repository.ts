import { LockMode } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import { WebhookDeliveryStatus } from '../domain/enums';
import { Organization, WebhookEndpoint } from '../entities';
import { type WebhookDeliveryView } from '../read-models/webhook.view';
import { keysetPage } from './keyset';
import { type Page, type PageRequest } from './pagination';
import { Selection, Where } from './selection';

export interface NewWebhookEndpoint {
  id: string;
  organizationId: string;
  url: string;
  eventTypes: string[] | null;
  description: string | null;
  secretCiphertext: string;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  next_attempt_at: Date | string;
  delivered_at: Date | string | null;
  created_at: Date | string;
}

const date = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

function deliveryView(r: DeliveryRow): WebhookDeliveryView {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastDurationMs: r.last_duration_ms,
    lastError: r.last_error,
    nextAttemptAt: r.status === WebhookDeliveryStatus.PENDING ? date(r.next_attempt_at) : null,
    deliveredAt: r.delivered_at === null ? null : date(r.delivered_at),
    createdAt: date(r.created_at),
  };
}

/** An organization's webhook endpoints and their delivery log; every query scoped to the organization. */
export class WebhookRepository {
  constructor(private readonly em: EntityManager) {}

  list(organizationId: string): Promise<WebhookEndpoint[]> {
    return this.em.find(
      WebhookEndpoint,
      { organization: organizationId },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  /** The endpoint, row-locked for the transaction when `forWrite`; null when it is not this organization's. */
  find(organizationId: string, id: string, forWrite = false): Promise<WebhookEndpoint | null> {
    return this.em.findOne(
      WebhookEndpoint,
      { id, organization: organizationId },
      forWrite ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
    );
  }

  /** Counts the organization's endpoints, its row locked first so that two creates cannot both pass the limit. */
  async countLocked(organizationId: string): Promise<number> {
    await this.em.execute('select id from organization where id = ? for no key update', [organizationId]);
    return this.em.count(WebhookEndpoint, { organization: organizationId });
  }

  create(fields: NewWebhookEndpoint): WebhookEndpoint {
    const { organizationId, ...rest } = fields;
    const endpoint = this.em.create(WebhookEndpoint, {
      ...rest,
      organization: this.em.getReference(Organization, organizationId),
    });
    this.em.persist(endpoint);
    return endpoint;
  }

  remove(endpoint: WebhookEndpoint): void {
    this.em.remove(endpoint);
  }

  async setSecret(endpointId: string, secretCiphertext: string): Promise<void> {
    await this.em.execute('update webhook_endpoint set secret_ciphertext = ?, updated_at = now() where id = ?', [
      secretCiphertext,
      endpointId,
    ]);
  }

  /** The endpoint's deliveries, newest first. */
  deliveries(endpointId: string, page: PageRequest): Promise<Page<WebhookDeliveryView>> {
    const selection = new Selection<WebhookDeliveryView>(
      this.em,
      { columns: 'd.*', read: (row) => deliveryView(row as unknown as DeliveryRow) },
      '(select d0.*, e.type as event_type from webhook_delivery d0 join webhook_event e on e.id = d0.event_id)',
      'd',
      new Where('d.endpoint_id = ?', endpointId),
    );
    return keysetPage(
      selection,
      { sql: 'd.created_at', read: (d) => d.createdAt.toISOString(), descending: true, kind: 'timestamp' },
      page,
    );
  }

  /** Makes a delivery of the organization due now (again); its endpoint's id, or null when there is no such delivery. */
  async retry(organizationId: string, deliveryId: string): Promise<string | null> {
    const rows = await this.em.execute<{ endpoint_id: string }[]>(
      `update webhook_delivery d set status = ?, next_attempt_at = now()
         from webhook_endpoint ep
        where d.id = ? and ep.id = d.endpoint_id and ep.organization_id = ?
       returning d.endpoint_id`,
      [WebhookDeliveryStatus.PENDING, deliveryId, organizationId],
    );
    return rows[0]?.endpoint_id ?? null;
  }

  async delivery(deliveryId: string): Promise<WebhookDeliveryView | null> {
    const [row] = await this.em.execute<DeliveryRow[]>(
      `select d.*, e.type as event_type from webhook_delivery d join webhook_event e on e.id = d.event_id where d.id = ?`,
      [deliveryId],
    );
    return row ? deliveryView(row) : null;
  }
}
