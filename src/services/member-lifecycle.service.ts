import { type Actor } from '../domain/actor';
import { MemberStatus } from '../domain/enums';
import { DomainError, ErrorCode, forbidden } from '../domain/errors';
import { assertTransition } from '../domain/member-rules';
import { type Member, type User } from '../entities';
import { type HeldDeprovisioningView } from '../read-models/held-deprovisioning.view';
import { type MemberView, memberView } from '../read-models/member.view';
import { MemberRepository } from '../repositories/member.repository';
import { type Transaction } from '../repositories/unit-of-work';
import { type Access, authorize } from './access';
import { BaseService, assertVersion } from './base';
import { HeldDeprovisioningAction, holdIfTripped } from './deprovisioning-safeguard';
import { issueInvitation } from './invitations';
import { assertSeatAvailable } from './member-guards';
import { type WriteOptions, changeMemberIn } from './members/audited-member-change';
import {
  type InvitationPreview,
  type SignedInAccount,
  acceptAsInviteeIn,
  acceptAsUserIn,
  previewInvitation,
} from './members/invitation-acceptance';
import { holdRevoked } from './members/keep-revoked';
import { type InviteInput, inviteIn } from './members/new-invitation';
import { removeMemberIn, restoreMemberIn, revokeMemberIn } from './members/status-changes';

export interface RevokeOptions extends WriteOptions {
  /**
   * "Keep revoked": the identity provider's `active: true` (a routine PUT included) leaves the member REVOKED until
   * someone restores it here. For a person, an operator; never the identity provider itself.
   */
  keepRevoked?: boolean;
}

/**
 * The member lifecycle (invite, accept, confirm, revoke, restore, remove). Every write is one transaction with its
 * audit event.
 */
export class MemberLifecycleService extends BaseService {
  /** Admin invitation: a new INVITED member, or a STAGED one moved to INVITED. Returns the token sent by e-mail. */
  async invite(
    actor: Actor,
    organizationId: string,
    input: InviteInput,
  ): Promise<{ member: MemberView; invitationToken: string }> {
    const publicUrl = this.deps.config.PUBLIC_URL;
    const { member, invitationToken } = await this.write((tx) => inviteIn(tx, publicUrl, actor, organizationId, input));
    return { member: memberView(member), invitationToken };
  }

  /** The invitee accepts with the token from its e-mail; the accepting account's email must match. */
  async accept(actor: Actor, token: string): Promise<MemberView> {
    if (actor.kind !== 'USER')
      throw new DomainError(ErrorCode.FORBIDDEN, 'only a signed-in user can accept an invitation');
    const member = await this.write((tx) => acceptAsUserIn(tx, actor, token));
    return memberView(member);
  }

  /** What an invitation link is worth, without using it (the console's invitation page, before signing in). */
  async invitationPreview(token: string): Promise<InvitationPreview> {
    return this.read((em) => previewInvitation(em, token));
  }

  /**
   * Accepts an invitation link in the caller's transaction (the browser's invitation page). The token is bound to
   * the address it was mailed to, and holding it proves control of that mailbox, not of an account:
   * - signed in (`signedIn`): the account's address must be the invited one (else EMAIL_MISMATCH, whether or not
   *   the invited address has an account: a session is never silently replaced); that account accepts;
   * - not signed in, the address has an account: refused (InvitationNeedsSignIn), that person signs in first;
   * - not signed in, no account: the account is created and becomes the member's; the caller opens its session.
   * `newAccount` says which of the last two happened, i.e. whether the caller should open a session.
   */
  async acceptAsInviteeIn(
    tx: Transaction,
    token: string,
    signedIn: SignedInAccount | null,
    requestId?: string,
  ): Promise<{ member: Member; user: User; newAccount: boolean }> {
    return acceptAsInviteeIn(tx, token, signedIn, requestId);
  }

  /** A STAGED member (provisioned without an e-mail) is invited: INVITED, with its invitation e-mail. */
  async sendInvitation(
    actor: Actor,
    organizationId: string,
    memberId: string,
  ): Promise<{ member: MemberView; invitationToken: string }> {
    const { member, invitationToken } = await this.change(
      actor,
      organizationId,
      memberId,
      'member.invited',
      async (tx, member, access) => {
        assertTransition('invite', member.status);
        await assertSeatAvailable(tx, access.organization, MemberStatus.INVITED);
        member.status = MemberStatus.INVITED;
        const invitationToken = issueInvitation(tx, this.deps.config.PUBLIC_URL, access.organization, member);
        return { member, invitationToken };
      },
    );
    return { member: memberView(member), invitationToken };
  }

  async reinvite(
    actor: Actor,
    organizationId: string,
    memberId: string,
  ): Promise<{ member: MemberView; invitationToken: string }> {
    const { member, invitationToken } = await this.change(
      actor,
      organizationId,
      memberId,
      'member.reinvited',
      async (tx, member, access) => {
        assertTransition('reinvite', member.status);
        const invitationToken = issueInvitation(tx, this.deps.config.PUBLIC_URL, access.organization, member);
        return { member, invitationToken };
      },
    );
    return { member: memberView(member), invitationToken };
  }

  async confirm(actor: Actor, organizationId: string, memberId: string, key?: string | null): Promise<MemberView> {
    const confirmed = await this.change(actor, organizationId, memberId, 'member.confirmed', async (_tx, member) => {
      assertTransition('confirm', member.status);
      member.status = MemberStatus.CONFIRMED;
      member.confirmationKey = key ?? null;
      return member;
    });
    return memberView(confirmed);
  }

  async revoke(
    actor: Actor,
    organizationId: string,
    memberId: string,
    reason?: string | null,
    opts: RevokeOptions = {},
  ): Promise<MemberView> {
    const keepRevoked = opts.keepRevoked === true;
    if (keepRevoked && actor.kind === 'SCIM')
      throw forbidden('the identity provider cannot keep a member revoked against itself');
    const revoked = await this.change(
      actor,
      organizationId,
      memberId,
      'member.revoked',
      async (tx, member) => {
        await revokeMemberIn(tx, member, reason ?? null);
        if (keepRevoked) holdRevoked(member, actor);
        return member;
      },
      opts,
      { ...(reason ? { reason } : {}), ...(keepRevoked ? { keepRevoked } : {}) },
    );
    return memberView(revoked);
  }

  async restore(actor: Actor, organizationId: string, memberId: string, opts: WriteOptions = {}): Promise<MemberView> {
    const restored = await this.change(
      actor,
      organizationId,
      memberId,
      'member.restored',
      (tx, member, access) => restoreMemberIn(tx, member, access.organization),
      opts,
    );
    return memberView(restored);
  }

  /**
   * Removes the member; null once it is gone. A SCIM deletion past the organization's deprovisioning safeguard is
   * held instead (nothing removed): the member is returned as it stays.
   */
  async remove(
    actor: Actor,
    organizationId: string,
    memberId: string,
    opts: WriteOptions = {},
  ): Promise<MemberView | null> {
    return this.write(async (tx) => {
      if (actor.kind === 'SCIM') {
        await authorize(tx, actor, organizationId, 'manageMembers', { loadOrganization: false });
        const member = await new MemberRepository(tx).getInOrganization(organizationId, memberId, true);
        assertVersion(member, opts.expectedVersion, 'member');
        const publicUrl = this.deps.config.PUBLIC_URL;
        if (await holdIfTripped(tx, actor, member, HeldDeprovisioningAction.DELETE, publicUrl))
          return memberView(member);
      }
      await changeMemberIn(tx, actor, organizationId, memberId, 'member.removed', removeMemberIn, opts);
      return null;
    });
  }

  /**
   * Applies a deprovisioning the safeguard held, in the caller's transaction, as the identity provider asked it
   * (revoke, or remove), with the rights of whoever applies it; the audit event names the hold.
   */
  async applyHeldIn(
    tx: Transaction,
    actor: Actor,
    organizationId: string,
    held: HeldDeprovisioningView,
  ): Promise<void> {
    if (!held.memberId) return; // removed meanwhile: what the identity provider asked for holds already
    const remove = held.action === HeldDeprovisioningAction.DELETE;
    await changeMemberIn(
      tx,
      actor,
      organizationId,
      held.memberId,
      remove ? 'member.removed' : 'member.revoked',
      async (tx, member) => {
        if (remove) return removeMemberIn(tx, member);
        return member.status === MemberStatus.REVOKED ? member : revokeMemberIn(tx, member, null);
      },
      {},
      { heldDeprovisioningId: held.id, requestedAt: held.requestedAt.toISOString(), scimRequestId: held.requestId },
    );
  }

  /** One member's change in its own transaction (see changeMemberIn). */
  private change<T>(
    actor: Actor,
    organizationId: string,
    memberId: string,
    auditType: string,
    change: (tx: Transaction, member: Member, access: Access) => Promise<T>,
    opts: WriteOptions = {},
    auditData: Record<string, unknown> = {},
  ): Promise<T> {
    return this.write((tx) => changeMemberIn(tx, actor, organizationId, memberId, auditType, change, opts, auditData));
  }
}
