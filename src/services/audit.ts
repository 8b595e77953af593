import { type Actor } from '../domain/actor';
import { LogRepository, type NewAuditEvent } from '../repositories/log.repository';
import { type Transaction } from '../repositories/unit-of-work';
import { noteAudited } from './webhooks/pending-changes';

export interface AuditTarget {
  type: 'organization' | 'member' | 'group' | 'scim' | 'token' | 'webhook';
  id: string | null;
}

/** Records an audit event in the caller's transaction; it commits or rolls back with the change. */
export function recordAudit(
  tx: Transaction,
  actor: Actor,
  organizationId: string,
  type: string,
  target: AuditTarget,
  data: Record<string, unknown> | null = null,
  actorMemberId: string | null = null,
): NewAuditEvent {
  const event = auditEvent(actor, organizationId, type, target, data, actorMemberId);
  new LogRepository(tx).addAuditEvent(event);
  noteAudited(tx, actor, event);
  return event;
}

/** For a write that stores its audit event itself (in one statement with its change): the webhook outbox hears of it. */
export function auditedInStatement(tx: Transaction, actor: Actor, event: NewAuditEvent): NewAuditEvent {
  noteAudited(tx, actor, event);
  return event;
}

/** The fields of an audit event, for a write that stores it itself (in the same statement as its change). */
export function auditEvent(
  actor: Actor,
  organizationId: string,
  type: string,
  target: AuditTarget,
  data: Record<string, unknown> | null = null,
  actorMemberId: string | null = null,
): NewAuditEvent {
  return {
    organizationId,
    type,
    actorKind: actor.kind,
    actorUserId: actor.kind === 'USER' ? actor.userId : null,
    actorMemberId,
    actorApiKeyId: actor.kind === 'SCIM' ? (actor.keyId ?? null) : null,
    actorProvider: actor.kind === 'SCIM' ? (actor.provider ?? null) : null,
    targetType: target.type,
    targetId: target.id,
    data,
    requestId: actor.requestId ?? null,
    clientRequestId: actor.clientRequestId ?? null,
    occurredAt: new Date(),
  };
}
