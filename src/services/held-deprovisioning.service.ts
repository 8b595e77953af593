import { type Actor } from '../domain/actor';
import { HeldDeprovisioningAction, HeldDeprovisioningStatus } from '../domain/deprovisioning-safeguard';
import { DomainError, ErrorCode, forbidden } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { mayActOn } from '../domain/policy';
import { HeldDeprovisioningRepository } from '../repositories/held-deprovisioning.repository';
import { type Page, type PageRequest } from '../repositories/pagination';
import { type Transaction } from '../repositories/unit-of-work';
import { type Access, authorize } from './access';
import { recordAudit } from './audit';
import { BaseService, type ServiceDeps } from './base';
import { type MemberLifecycleService } from './member-lifecycle.service';
import { type HeldDeprovisioningView } from '../read-models/held-deprovisioning.view';

/** Which held deprovisionings: these ids, or every one the organization holds. */
export type HeldSelection = { ids: string[] } | { all: true };

/**
 * The deprovisionings the safeguard held, and what a person decides about them. Who may: whoever manages members
 * (OWNER, ADMIN, CUSTOM with manageUsers), with authority over each held member's role: applying one is revoking or
 * removing that member, discarding one keeps that member against the identity provider's request, which is what
 * restoring it would do. Both are member decisions, not SCIM-key ones (manageScimKeys guards what lets an identity
 * provider act on owners: the keys, and the safeguard's own settings).
 */
export class HeldDeprovisioningService extends BaseService {
  constructor(
    deps: ServiceDeps,
    private readonly memberLifecycle: MemberLifecycleService,
  ) {
    super(deps);
  }

  /** The organization's held deprovisionings, oldest first. */
  async list(actor: Actor, organizationId: string, page: PageRequest): Promise<Page<HeldDeprovisioningView>> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'manageMembers', { answerOnly: true });
      return new HeldDeprovisioningRepository(em).page(organizationId, page);
    });
  }

  /** Runs the held deprovisionings as the identity provider asked them, in one transaction, audited as the applier's. */
  async apply(actor: Actor, organizationId: string, which: HeldSelection): Promise<HeldDeprovisioningView[]> {
    return this.write(async (tx) => {
      const { access, held } = await this.take(tx, actor, organizationId, which);
      // A member whose held deletion this apply already ran has nothing left to deactivate.
      const removed = new Set<string>();
      for (const row of held) {
        if (row.memberId && removed.has(row.memberId)) continue;
        await this.memberLifecycle.applyHeldIn(tx, actor, organizationId, row);
        if (row.memberId && row.action === HeldDeprovisioningAction.DELETE) removed.add(row.memberId);
      }
      await new HeldDeprovisioningRepository(tx).resolve(
        held.map((h) => h.id),
        HeldDeprovisioningStatus.APPLIED,
        access.membership?.id ?? null,
      );
      return held.map((h) => ({ ...h, status: HeldDeprovisioningStatus.APPLIED }));
    });
  }

  /** Drops the held deprovisionings: nothing changes for their members; each is audited. */
  async discard(actor: Actor, organizationId: string, which: HeldSelection): Promise<HeldDeprovisioningView[]> {
    return this.write(async (tx) => {
      const { access, held } = await this.take(tx, actor, organizationId, which);
      for (const row of held) {
        if (row.memberRole && !mayActOn(access.authority, row.memberRole))
          throw forbidden(`not allowed to decide for ${row.memberEmail}, whose role is ${row.memberRole}`);
        recordAudit(
          tx,
          actor,
          organizationId,
          'member.deprovisioning_discarded',
          { type: 'member', id: row.memberId },
          {
            email: row.memberEmail,
            action: row.action,
            heldDeprovisioningId: row.id,
            requestedAt: row.requestedAt.toISOString(),
            scimRequestId: row.requestId,
          },
          access.membership?.id,
        );
      }
      await new HeldDeprovisioningRepository(tx).resolve(
        held.map((h) => h.id),
        HeldDeprovisioningStatus.DISCARDED,
        access.membership?.id ?? null,
      );
      return held.map((h) => ({ ...h, status: HeldDeprovisioningStatus.DISCARDED }));
    });
  }

  /** The held rows asked for, locked; an id that is not held in this organization is NOT_FOUND, nothing changed. */
  private async take(
    tx: Transaction,
    actor: Actor,
    organizationId: string,
    which: HeldSelection,
  ): Promise<{ access: Access; held: HeldDeprovisioningView[] }> {
    const access = await authorize(tx, actor, organizationId, 'manageMembers');
    const ids = 'ids' in which ? [...new Set(which.ids)] : null;
    if (ids && !ids.length) throw new DomainError(ErrorCode.INVALID_INPUT, 'give ids, or all: true', 'ids');
    const held = await new HeldDeprovisioningRepository(tx).lockHeld(organizationId, ids);
    if (ids) {
      const found = new Set(held.map((h) => h.id));
      const missing = ids.filter((id) => !isUuid(id) || !found.has(id));
      if (missing.length)
        throw new DomainError(ErrorCode.NOT_FOUND, `no held deprovisioning with id ${missing.join(', ')}`, 'ids');
    }
    return { access, held };
  }
}
