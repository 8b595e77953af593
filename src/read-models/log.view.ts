import { type ScimKeyStatus } from '../domain/scim-key-rules';
import { type AccountEvent, type AuditEvent, type ScimRequestLog } from '../entities';

/** One event of the organization's audit trail. */
export interface AuditEventView {
  readonly id: string;
  readonly organizationId: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly actorKind: string;
  readonly actorUserId: string | null;
  readonly actorMemberId: string | null;
  readonly actorApiKeyId: string | null;
  readonly actorProvider: string | null;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly data: Record<string, unknown> | null;
  readonly requestId: string | null;
  readonly clientRequestId: string | null;
}

export function auditEventView(e: AuditEvent): AuditEventView {
  return {
    id: e.id,
    organizationId: e.organization.id,
    type: e.type,
    occurredAt: e.occurredAt,
    actorKind: e.actorKind,
    actorUserId: e.actorUserId,
    actorMemberId: e.actorMemberId,
    actorApiKeyId: e.actorApiKeyId,
    actorProvider: e.actorProvider,
    targetType: e.targetType,
    targetId: e.targetId,
    data: e.data,
    requestId: e.requestId,
    clientRequestId: e.clientRequestId,
  };
}

/** One event on an account (tokens, sign-ins, identity links); details never hold a secret. */
export interface AccountEventView {
  readonly id: string;
  readonly userId: string;
  readonly type: string;
  readonly details: Record<string, unknown> | null;
  readonly requestId: string | null;
  readonly createdAt: Date;
}

export function accountEventView(e: AccountEvent): AccountEventView {
  return {
    id: e.id,
    userId: e.user.id,
    type: e.type,
    details: e.details,
    requestId: e.requestId,
    createdAt: e.createdAt,
  };
}

/** One request of the SCIM provisioning log. */
export interface ScimRequestLogView {
  readonly id: string;
  readonly organizationId: string;
  readonly occurredAt: Date;
  readonly method: string;
  readonly path: string;
  readonly client: string | null;
  readonly status: number;
  readonly durationMs: number;
  readonly summary: string | null;
  readonly requestId: string | null;
  /** The SCIM key the request authenticated with; null when none was accepted. */
  readonly apiKeyId: string | null;
  readonly apiKeyHint: string | null;
  readonly apiKeyStatus: ScimKeyStatus | null;
}

export function scimRequestLogView(l: ScimRequestLog): ScimRequestLogView {
  return {
    id: l.id,
    organizationId: l.organization.id,
    occurredAt: l.occurredAt,
    method: l.method,
    path: l.path,
    client: l.client,
    status: l.status,
    durationMs: l.durationMs,
    summary: l.summary,
    requestId: l.requestId,
    apiKeyId: l.apiKeyId,
    apiKeyHint: l.apiKeyHint,
    apiKeyStatus: l.apiKeyStatus,
  };
}
