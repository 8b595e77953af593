import { REJECTED_KEY_CLIENT, scimClientName } from '../domain/scim-clients';
import { type ScimKeyStatus } from '../domain/scim-key-rules';
import { type AccountEvent, type AuditEvent } from '../entities';
import { type AuditEventRow, type AuditSource, type ScimRequestLogEntryRow } from './log-rows';

/** One event of the organization's audit trail. */
export interface AuditEventView {
  readonly id: string;
  readonly organizationId: string;
  readonly type: string;
  readonly occurredAt: Date;
  /** Where the change came from: CONSOLE (a person, in the console or over the API), SCIM, CLI or SYSTEM. */
  readonly source: AuditSource;
  readonly actorKind: string;
  /** The actor in words: an email, "JumpCloud", "an operator (orgctl)". */
  readonly actorDisplay: string;
  readonly actorUserId: string | null;
  readonly actorMemberId: string | null;
  readonly actorApiKeyId: string | null;
  readonly actorProvider: string | null;
  readonly targetType: string | null;
  readonly targetId: string | null;
  /** The member's email or the group's name (as recorded when it is gone); null for other targets. */
  readonly targetDisplay: string | null;
  /** Why, when the change was given a reason (a revocation's). */
  readonly reason: string | null;
  readonly data: Record<string, unknown> | null;
  readonly requestId: string | null;
  readonly clientRequestId: string | null;
}

const SOURCE_OF_KIND: Record<string, AuditSource> = { USER: 'CONSOLE', SCIM: 'SCIM', CLI: 'CLI', SYSTEM: 'SYSTEM' };

/** Who acted, in words: the account's email, the SCIM client, the CLI, or orgd itself. */
function actorDisplay(e: AuditEvent, actorEmail: string | null): string {
  switch (e.actorKind) {
    case 'USER':
      return actorEmail ?? 'a deleted account';
    case 'SCIM':
      return scimClientName(e.actorProvider);
    case 'CLI':
      return 'an operator (orgctl)';
    default:
      return 'orgd';
  }
}

export function auditEventView({ event: e, actorEmail, subjectName }: AuditEventRow): AuditEventView {
  const reason = e.data?.reason;
  return {
    id: e.id,
    organizationId: e.organization.id,
    type: e.type,
    occurredAt: e.occurredAt,
    source: SOURCE_OF_KIND[e.actorKind] ?? 'SYSTEM',
    actorKind: e.actorKind,
    actorDisplay: actorDisplay(e, actorEmail),
    actorUserId: e.actorUserId,
    actorMemberId: e.actorMemberId,
    actorApiKeyId: e.actorApiKeyId,
    actorProvider: e.actorProvider,
    targetType: e.targetType,
    targetId: e.targetId,
    targetDisplay: subjectName,
    reason: typeof reason === 'string' && reason ? reason : null,
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

export interface ScimRequestTargetView {
  readonly type: 'member' | 'group';
  readonly id: string;
  /** The member's email (a member only). */
  readonly email: string | null;
  /** The member's display name or userName, or the group's name. */
  readonly name: string | null;
}

/** One request of the SCIM provisioning log. */
export interface ScimRequestLogView {
  readonly id: string;
  readonly organizationId: string;
  readonly occurredAt: Date;
  readonly method: string;
  readonly path: string;
  readonly client: string | null;
  /** Who sent it: the provider of the key it authenticated with, or "rejected key". */
  readonly clientName: string;
  /** No working key came with it: a stranger, or an identity provider holding a rotated-out key. */
  readonly rejectedKey: boolean;
  readonly status: number;
  readonly durationMs: number;
  readonly summary: string | null;
  /** What a success still left undone (members skipped, a deprovisioning held). */
  readonly warning: string | null;
  readonly requestId: string | null;
  /** The member or group it concerned; email and name null once it was deleted. */
  readonly target: ScimRequestTargetView | null;
  /** The SCIM key the request authenticated with; null when none was accepted. */
  readonly apiKeyId: string | null;
  readonly apiKeyHint: string | null;
  readonly apiKeyStatus: ScimKeyStatus | null;
}

export function scimRequestLogView({ entry: l, targetEmail, targetName }: ScimRequestLogEntryRow): ScimRequestLogView {
  const rejectedKey = l.apiKeyId === null;
  return {
    id: l.id,
    organizationId: l.organization.id,
    occurredAt: l.occurredAt,
    method: l.method,
    path: l.path,
    client: l.client,
    clientName: rejectedKey ? REJECTED_KEY_CLIENT : scimClientName(l.keyProvider, l.client),
    rejectedKey,
    status: l.status,
    durationMs: l.durationMs,
    summary: l.summary,
    warning: l.warning,
    requestId: l.requestId,
    apiKeyId: l.apiKeyId,
    apiKeyHint: l.apiKeyHint,
    apiKeyStatus: l.apiKeyStatus,
    target:
      l.targetType && l.targetId
        ? { type: l.targetType as 'member' | 'group', id: l.targetId, email: targetEmail, name: targetName }
        : null,
  };
}
