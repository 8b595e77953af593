import { type Actor } from '../../domain/actor';
import { type Member } from '../../entities';
import { type Transaction } from '../../repositories/unit-of-work';
import { type Access } from '../access';
import { recordAudit } from '../audit';

/**
 * "Keep revoked": the identity provider's `active: true` (a routine PUT included) leaves the member REVOKED until
 * someone restores it by hand; the hold names who set it.
 */
export function holdRevoked(member: Member, actor: Actor): void {
  member.revocationHeldAt = new Date();
  member.revocationHeldBy = actorLabel(actor);
  member.revocationHoldReportedAt = null;
}

/**
 * An identity provider's `active: true` for a member kept revoked: nothing changes but the audit trail, and that
 * only the first time for this hold (a provider that PUTs every user on each sync would otherwise fill the trail).
 * The stamp is written in the request's transaction, which holds the member row's lock (FOR_WRITE): two
 * concurrent syncs do not both record it.
 */
export function recordRestoreHeldBack(tx: Transaction, actor: Actor, access: Access, member: Member): void {
  if (member.revocationHoldReportedAt) return;
  member.revocationHoldReportedAt = new Date();
  recordAudit(
    tx,
    actor,
    access.organization.id,
    'member.restore_held_back',
    { type: 'member', id: member.id },
    {
      email: member.email,
      heldBy: member.revocationHeldBy,
      heldAt: member.revocationHeldAt?.toISOString() ?? null,
      ...(member.revocationReason ? { reason: member.revocationReason } : {}),
    },
    access.membership?.id,
  );
}

/** Who set a hold, as an administrator reads it: the person's address, else the operator's tool. */
function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'USER':
      return actor.email;
    case 'CLI':
      return 'orgctl';
    case 'SYSTEM':
      return 'system';
    case 'SCIM':
      return actor.provider ?? 'SCIM';
  }
}
