import { type EntityManager } from '@mikro-orm/postgresql';
import { AccountEvent, AuditEvent, Organization, User } from '../entities';
import { keysetPage } from './keyset';
import { type Page, type PageRequest } from './pagination';
import { Selection, Where } from './selection';

/** The fields of a new audit event; the organization by id. */
export interface NewAuditEvent {
  organizationId: string;
  type: string;
  actorKind: string;
  actorUserId: string | null;
  actorMemberId: string | null;
  actorApiKeyId: string | null;
  actorProvider: string | null;
  targetType: string;
  targetId: string | null;
  data: Record<string, unknown> | null;
  requestId: string | null;
  clientRequestId: string | null;
  occurredAt: Date;
}

/**
 * The audit_event columns, in order, for a statement that writes its audit events itself, in the same statement as
 * the change they record, rather than through addAuditEvent.
 */
export const AUDIT_EVENT_COLUMNS = `id, organization_id, type, actor_kind, actor_user_id, actor_member_id,
  actor_api_key_id, actor_provider, target_type, target_id, data, request_id, client_request_id, occurred_at`;

/** Who acted: the values of actor_kind, actor_user_id, actor_member_id, actor_api_key_id, actor_provider, in order. */
export const auditActorValues = (
  e: Pick<NewAuditEvent, 'actorKind' | 'actorUserId' | 'actorMemberId' | 'actorApiKeyId' | 'actorProvider'>,
): unknown[] => [e.actorKind, e.actorUserId, e.actorMemberId, e.actorApiKeyId, e.actorProvider];

/** The organization's audit trail and an account's own events; newest first. */
export class LogRepository {
  constructor(private readonly em: EntityManager) {}

  /** Adds an audit event to the unit of work: it is written, or rolled back, with the change it records. */
  addAuditEvent({ organizationId, ...fields }: NewAuditEvent): AuditEvent {
    const event = this.em.create(AuditEvent, {
      organization: this.em.getReference(Organization, organizationId),
      ...fields,
    });
    this.em.persist(event);
    return event;
  }

  /** Adds an event on the account to the unit of work (written or rolled back with the change). */
  addAccountEvent(fields: {
    userId: string;
    type: string;
    details: Record<string, unknown> | null;
    requestId: string | null;
    createdAt: Date;
  }): AccountEvent {
    const { userId, ...rest } = fields;
    const event = this.em.create(AccountEvent, { user: this.em.getReference(User, userId), ...rest });
    this.em.persist(event);
    return event;
  }

  /** The organization's newest event of `type` that occurred after `after`, or null. */
  latestAuditEvent(organizationId: string, type: string, after: Date): Promise<AuditEvent | null> {
    return this.em.findOne(
      AuditEvent,
      { organization: organizationId, type, occurredAt: { $gt: after } },
      { orderBy: { occurredAt: 'desc', id: 'desc' } },
    );
  }

  /** One account's events: the user id is the only filter, so no other account's rows can appear. */
  accountEventPage(userId: string, page: PageRequest): Promise<Page<AccountEvent>> {
    const selection = new Selection(this.em, AccountEvent, 'account_event', 'a', new Where('a.user_id = ?', userId));
    return keysetPage(
      selection,
      { sql: 'a.created_at', read: (a) => a.createdAt.toISOString(), descending: true, kind: 'timestamp' },
      page,
    );
  }
}
