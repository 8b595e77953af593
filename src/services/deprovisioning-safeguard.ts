import { type Actor } from '../domain/actor';
import { HeldDeprovisioningAction, mustHold } from '../domain/deprovisioning-safeguard';
import { type Member } from '../entities';
import { HeldDeprovisioningRepository } from '../repositories/held-deprovisioning.repository';
import { OrganizationRepository } from '../repositories/organization.repository';
import { OutboxRepository } from '../repositories/outbox.repository';
import { type Transaction } from '../repositories/unit-of-work';
import { recordAudit } from './audit';

export interface Hold {
  id: string;
  /** false: the same deprovisioning was already held (a resend), and this request joined it. */
  created: boolean;
}

/**
 * The deprovisioning safeguard, inside a SCIM deprovisioning's own transaction: null when the deprovisioning may
 * apply, else the hold it was recorded in (not applied). Under the organization row lock, so two concurrent
 * requests cannot both see the count below the threshold; the count is one index range over the audit trail
 * (the applied SCIM deprovisionings of the window), which this transaction's own deprovisioning joins on commit.
 * Only a SCIM actor's deprovisionings are counted and held: a person revoking or removing decided to.
 */
export async function holdIfTripped(
  tx: Transaction,
  actor: Actor,
  member: Member,
  action: HeldDeprovisioningAction,
  publicUrl: string,
): Promise<Hold | null> {
  if (actor.kind !== 'SCIM') return null;
  const organizationId = member.organization.id;
  const repo = new HeldDeprovisioningRepository(tx);
  const settings = await repo.settings(organizationId);
  // Off, nothing is counted and deprovisionings do not queue on the organization row.
  if (!settings.enabled) return null;
  await new OrganizationRepository(tx).lock(organizationId);
  if (!mustHold(settings, await repo.appliedScimDeprovisionings(organizationId, settings.windowMinutes))) return null;
  const tripping = (await repo.heldCount(organizationId)) === 0;
  const hold = await repo.hold({
    organizationId,
    memberId: member.id,
    memberEmail: member.email,
    action,
    requestId: actor.requestId ?? null,
    clientRequestId: actor.clientRequestId ?? null,
    apiKeyHint: actor.keyId ? await repo.apiKeyHint(actor.keyId) : null,
  });
  if (!hold.created) return hold;
  recordAudit(
    tx,
    actor,
    organizationId,
    'member.deprovisioning_held',
    { type: 'member', id: member.id },
    { email: member.email, action, heldDeprovisioningId: hold.id, ...settings },
  );
  // Once per trip: the first hold while none is waiting. Owners are not mailed per held person.
  if (tripping) await tellOwners(tx, organizationId, settings, publicUrl);
  return hold;
}

/**
 * The identity provider now says the member is active (SCIM `active: true`, e.g. back in scope after its filter was
 * fixed): a deactivation it asked for earlier and that is still held no longer stands, so it is discarded, audited,
 * and cannot be applied later by mistake.
 */
export async function supersedeHeldDeactivation(tx: Transaction, actor: Actor, member: Member): Promise<void> {
  if (actor.kind !== 'SCIM') return;
  const id = await new HeldDeprovisioningRepository(tx).discardHeldDeactivation(member.id);
  if (!id) return;
  recordAudit(
    tx,
    actor,
    member.organization.id,
    'member.deprovisioning_discarded',
    { type: 'member', id: member.id },
    {
      email: member.email,
      action: HeldDeprovisioningAction.DEACTIVATE,
      heldDeprovisioningId: id,
      reason: 'the identity provider reactivated the member',
    },
  );
}

/**
 * The member is being removed (by anyone): what the safeguard holds for it has nothing left to act on, and must not
 * linger as HELD (a hold with no member would keep the next trip from being reported). The removal's own audit event
 * records what happened.
 */
export async function dropHoldsOfRemoved(tx: Transaction, member: Member): Promise<void> {
  await new HeldDeprovisioningRepository(tx).discardAllHeldOf(member.id);
}

async function tellOwners(
  tx: Transaction,
  organizationId: string,
  settings: { threshold: number; windowMinutes: number },
  publicUrl: string,
): Promise<void> {
  const outbox = new OutboxRepository(tx);
  const organization = new OrganizationRepository(tx).reference(organizationId);
  for (const recipient of await new HeldDeprovisioningRepository(tx).ownerEmails(organizationId)) {
    outbox.enqueue({
      kind: 'SAFEGUARD_TRIPPED',
      recipient,
      organization,
      mail: {
        subject: 'SCIM deprovisionings are on hold',
        text:
          `Your identity provider deactivated or deleted more than ${settings.threshold} people within ` +
          `${settings.windowMinutes} minutes, so orgd's deprovisioning safeguard is holding the next ones: ` +
          `those people keep their access until someone decides.\n\n` +
          `If the identity provider is right, apply the held changes; if a scoping rule or a group was changed by ` +
          `mistake, fix it there, then discard them. Both are on the SCIM provisioning page: ` +
          `${publicUrl}/orgs/${organizationId}/settings/scim\n`,
      },
    });
  }
}

export { HeldDeprovisioningAction };
