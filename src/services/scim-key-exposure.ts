import { type Actor } from '../domain/actor';
import { NO_PERMISSIONS } from '../domain/enums';
import { type MembershipView } from '../domain/policy';
import { type ScimKeyExposureReason, scimKeyExposure } from '../domain/scim-key-exposure';
import { type Member } from '../entities';
import { ApiKeyRepository } from '../repositories/api-key.repository';
import { LogRepository } from '../repositories/log.repository';
import { type Transaction } from '../repositories/unit-of-work';
import { recordAudit } from './audit';

/** The audit event that tells owners to rotate the SCIM key; the SCIM settings show the latest one until they do. */
export const SCIM_ROTATION_RECOMMENDED = 'scim.rotation_recommended';

export interface ScimRotationRecommendation {
  readonly reason: ScimKeyExposureReason;
  readonly memberEmail: string;
  /** When the member lost the right. */
  readonly since: Date;
}

/**
 * In the transaction of a member change: when it took `manageScimKeys` from someone who held it and the
 * organization has a SCIM key, records SCIM_ROTATION_RECOMMENDED naming that member.
 */
export async function noteScimKeyExposure(
  tx: Transaction,
  actor: Actor,
  organizationId: string,
  before: MembershipView,
  member: Member,
  removed: boolean,
  actorMemberId: string | null = null,
): Promise<void> {
  const after = removed
    ? null
    : { role: member.role, status: member.status, permissions: { ...NO_PERMISSIONS, ...member.permissions } };
  const reason = scimKeyExposure(before, after);
  if (!reason || !(await new ApiKeyRepository(tx).hasScimKey(organizationId))) return;
  recordAudit(
    tx,
    actor,
    organizationId,
    SCIM_ROTATION_RECOMMENDED,
    { type: 'member', id: member.id },
    { email: member.email, reason },
    actorMemberId,
  );
}

/** The latest recommendation made after the current key was issued (rotating the key answers it), or null. */
export async function rotationRecommendation(
  em: Transaction,
  organizationId: string,
  keyCreatedAt: Date,
): Promise<ScimRotationRecommendation | null> {
  const event = await new LogRepository(em).latestAuditEvent(organizationId, SCIM_ROTATION_RECOMMENDED, keyCreatedAt);
  if (!event?.data) return null;
  return {
    reason: event.data.reason as ScimKeyExposureReason,
    memberEmail: String(event.data.email),
    since: event.occurredAt,
  };
}
