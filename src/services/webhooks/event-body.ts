import { type Actor } from '../../domain/actor';
import { enterpriseOf } from '../../domain/member-fields';
import { type NewAuditEvent } from '../../repositories/log.repository';
import { SEQUENCE_PLACEHOLDER } from '../../repositories/webhook-outbox.repository';
import { type GroupView } from '../../read-models/group.view';
import { type MemberView } from '../../read-models/member.view';

/** Who made the change, as a receiver reads it: a user of the console or API, the IdP's SCIM connection, or us. */
export function actorBody(actor: Actor, event: NewAuditEvent): Record<string, unknown> {
  switch (actor.kind) {
    case 'USER':
      return { kind: 'user', userId: actor.userId, memberId: event.actorMemberId };
    case 'SCIM':
      return { kind: 'scim', provider: actor.provider ?? null, apiKeyId: actor.keyId ?? null };
    case 'CLI':
      return { kind: 'system', via: 'cli' };
    case 'SYSTEM':
      return { kind: 'system' };
  }
}

/** A member as GraphQL renders it (the same field names and nesting). */
export function memberBody(m: MemberView): Record<string, unknown> {
  return {
    id: m.id,
    email: m.email,
    userName: m.userName,
    name: { givenName: m.givenName, familyName: m.familyName, formatted: m.formattedName },
    displayName: m.displayName,
    externalId: m.externalId,
    title: m.title,
    emails: m.emails ?? [],
    phoneNumbers: m.phoneNumbers ?? [],
    enterprise: enterpriseOf(m),
    role: m.role,
    permissions: m.permissions,
    roleSource: m.roleSource,
    // GraphQL renders the deciding group as an object; the body carries its id, which a receiver can look up.
    roleGrantedBy: m.roleGrantedById ? { id: m.roleGrantedById } : null,
    status: m.status,
    revocationReason: m.revocationReason,
    revocationHold:
      m.revocationHeldAt && m.revocationHeldBy
        ? { by: m.revocationHeldBy, at: m.revocationHeldAt.toISOString() }
        : null,
    source: m.source,
    userId: m.userId,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export function groupBody(g: GroupView): Record<string, unknown> {
  return {
    id: g.id,
    displayName: g.displayName,
    externalId: g.externalId,
    source: g.source,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

/**
 * The exact text signed and sent, stored as is so that every attempt carries the same bytes. Its sequence number
 * (SEQUENCE_PLACEHOLDER) is filled in once, when the dispatcher numbers the committed event, before any attempt.
 */
export function eventBody(fields: {
  type: string;
  timestamp: Date;
  organizationId: string;
  actor: Record<string, unknown>;
  data: Record<string, unknown>;
}): string {
  const { type, timestamp, organizationId, actor, data } = fields;
  return JSON.stringify({
    type,
    timestamp: timestamp.toISOString(),
    organizationId,
    sequence: SEQUENCE_PLACEHOLDER,
    actor,
    data,
  });
}
