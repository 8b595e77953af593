import { type Actor } from '../domain/actor';
import { LogRepository } from '../repositories/log.repository';
import { type Transaction } from '../repositories/unit-of-work';

export interface AuditTarget {
  type: 'organization' | 'member' | 'group' | 'scim' | 'token';
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
): void {
  new LogRepository(tx).addAuditEvent({
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
  });
}
