import { type Actor } from '../domain/actor';
import {
  type MemberPermissions,
  MemberRole,
  MemberSource,
  MemberStatus,
  NO_PERMISSIONS,
  RoleSource,
} from '../domain/enums';
import { DomainError, ErrorCode, forbidden, notFound } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { type MemberProfile, assertTransition, cleanProfile, normalizeEmail } from '../domain/member-rules';
import { sameJson } from '../domain/json';
import { type OrganizationGuards, assertCapability, grantRefusal, mayActOn } from '../domain/policy';
import { type Member, type Organization, type User } from '../entities';
import { GroupRepository } from '../repositories/group.repository';
import {
  type MemberFilter,
  type MemberOrder,
  MemberRepository,
  type MemberWithGroups,
} from '../repositories/member.repository';
import { ProvisioningRepository } from '../repositories/provisioning.repository';
import { type Page, type PageRequest } from '../repositories/pagination';
import { type Access, authorize } from './access';
import { auditEvent, auditedInStatement, recordAudit } from './audit';
import { BaseService, assertVersion } from './base';
import { issueInvitation, newInvitation, voidInvitation } from './invitations';
import { assertOwnerRemains, assertSeatAvailable } from './member-guards';
import {
  HeldDeprovisioningAction,
  dropHoldsOfRemoved,
  holdIfTripped,
  supersedeHeldDeactivation,
} from './deprovisioning-safeguard';
import { type HeldDeprovisioningView } from '../read-models/held-deprovisioning.view';
import { refuseManualRoleChange } from './group-roles';
import { noteScimKeyExposure } from './scim-key-exposure';
import { hashSecret } from './secrets';
import { InvitationStatus, invitationStatus, maskEmail, sameAddress } from '../domain/invitation-rules';
import { InvitationNeedsSignIn, InvitationUnusable } from '../domain/sign-in-errors';
import { InvitationRepository } from '../repositories/invitation.repository';
import { type MemberResourceFilter, type MemberSortAttribute, type ResourceListQuery } from '../domain/resource-filter';
import { type Transaction, flush } from '../repositories/unit-of-work';
import { type MemberView, memberView } from '../read-models/member.view';
import { type InvitationView, invitationView } from '../read-models/organization.view';
import { UserRepository } from '../repositories/user.repository';
import { noteGroupMembers } from './webhooks/pending-changes';
import { refuseIdpGroupEdit } from './idp-managed';

export interface InviteInput {
  email: string;
  role?: MemberRole;
  permissions?: Partial<MemberPermissions>;
  groupIds?: string[];
  profile?: Partial<MemberProfile>;
}

export interface MemberChanges {
  profile?: Partial<MemberProfile>;
  role?: MemberRole;
  permissions?: Partial<MemberPermissions>;
  /** false = revoke, true = restore (SCIM `active`). */
  active?: boolean;
  revocationReason?: string | null;
}

export interface InvitationPreview {
  status: InvitationStatus;
  /** The invitation the token points at, or null for an unknown token. */
  member: InvitationView | null;
  invitedBy: string | null;
  /** Whether the invited address already has an account (then the invitee signs in first; see acceptAsInviteeIn). */
  accountExists: boolean;
}

/** The account that signed the request in, when one did (a browser session). */
export interface SignedInAccount {
  userId: string;
  email: string;
}

/** How the invitation page names the sender of the latest invitation. */
function describeInviter(
  inviter: { actorKind: string; name: string | null; email: string | null } | null,
): string | null {
  if (!inviter) return null;
  if (inviter.actorKind === 'USER') return inviter.name ?? inviter.email;
  if (inviter.actorKind === 'SCIM') return 'your identity provider (SCIM provisioning)';
  return 'an administrator';
}

export interface WriteOptions {
  /** Optimistic concurrency (SCIM If-Match): the write fails unless the member is at this version. */
  expectedVersion?: number;
}

export interface RevokeOptions extends WriteOptions {
  /**
   * "Keep revoked": the identity provider's `active: true` (a routine PUT included) leaves the member REVOKED until
   * someone restores it here. For a person, an operator; never the identity provider itself.
   */
  keepRevoked?: boolean;
}

/** The member lifecycle (invite, accept, confirm, revoke, restore, remove). Every write is one transaction with its audit event. */
export class MemberService extends BaseService {
  async get(actor: Actor, organizationId: string, memberId: string): Promise<MemberView> {
    return this.read(async (em) => {
      const access = await authorize(em, actor, organizationId, 'viewOrganization', { loadOrganization: false });
      const member = await new MemberRepository(em).getInOrganization(organizationId, memberId);
      // A plain user sees only itself.
      if (!access.capabilities.viewMembers && member.id !== access.membership?.id) throw notFound('member');
      return memberView(member);
    });
  }

  /** Many members by id at once (GraphQL loaders); ids the viewer may not see are simply absent. */
  async getMany(actor: Actor, organizationId: string, memberIds: string[]): Promise<Map<string, MemberView>> {
    return this.read(async (em) => {
      const access = await authorize(em, actor, organizationId, 'viewOrganization');
      const wanted = [...new Set(memberIds.filter(isUuid))];
      // A plain user sees only itself.
      const visible = access.capabilities.viewMembers ? wanted : wanted.filter((id) => id === access.membership?.id);
      const rows = await new MemberRepository(em).findManyInOrg(organizationId, visible);
      return new Map(rows.map((m) => [m.id, memberView(m)]));
    });
  }

  async list(
    actor: Actor,
    organizationId: string,
    filter: MemberFilter,
    order: MemberOrder,
    page: PageRequest,
  ): Promise<Page<MemberView>> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'viewMembers', { answerOnly: true });
      return new MemberRepository(em).page(organizationId, filter, order, page);
    });
  }

  /**
   * The ids of the members matching a list filter, at most `limit` (a bulk action over "all N matching"), with how
   * many match in all. Reading them needs what listing them needs; every action on them is authorized per member.
   */
  async idsMatching(
    actor: Actor,
    organizationId: string,
    filter: MemberFilter,
    limit: number,
  ): Promise<{ ids: string[]; total: number }> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'viewMembers', { answerOnly: true });
      return new MemberRepository(em).idsMatching(organizationId, filter, limit);
    });
  }

  /** A SCIM list (RFC 7644 §3.4.2): the members matching a resolved filter, from `startIndex` (1-based). */
  async listForScim(
    actor: Actor,
    organizationId: string,
    query: ResourceListQuery<MemberResourceFilter, MemberSortAttribute>,
  ): Promise<{ items: MemberWithGroups[]; total: number }> {
    return this.read(async (em) => {
      const capabilities = await authorize(em, actor, organizationId, 'viewMembers', { answerOnly: true });
      // The members come with their groups (SCIM renders them), which needs the right to see groups too.
      assertCapability(capabilities, 'viewGroups');
      return new MemberRepository(em).offsetPage(organizationId, {
        filter: query.filter,
        sort: query.sort,
        offset: query.startIndex - 1,
        limit: query.count,
      });
    });
  }

  async statusCounts(actor: Actor, organizationId: string): Promise<Record<MemberStatus, number>> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'viewMembers', { answerOnly: true });
      return new MemberRepository(em).statusCounts(organizationId);
    });
  }

  async seatsUsed(actor: Actor, organizationId: string): Promise<number> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'viewOrganization');
      return (await new MemberRepository(em).guardCounts(organizationId)).seatsUsed;
    });
  }

  /** What the write-time guards would see now: confirmed owners, and whether a seat is free. */
  async guards(actor: Actor, organizationId: string): Promise<OrganizationGuards> {
    return this.read(async (em) => {
      const access = await authorize(em, actor, organizationId, 'viewOrganization', { loadOrganization: true });
      const { confirmedOwners, seatsUsed } = await new MemberRepository(em).guardCounts(organizationId);
      const limit = access.organization.seatLimit;
      return { confirmedOwners, seatFree: limit == null || seatsUsed < limit };
    });
  }

  /** Admin invitation: a new INVITED member, or a STAGED one moved to INVITED. Returns the token sent by e-mail. */
  async invite(
    actor: Actor,
    organizationId: string,
    input: InviteInput,
  ): Promise<{ member: MemberView; invitationToken: string }> {
    const { member, invitationToken } = await this.write(async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageMembers');
      const role = input.role ?? MemberRole.USER;
      const permissions = { ...NO_PERMISSIONS, ...input.permissions };
      assertGrant(access, null, { role, permissions });
      const email = normalizeEmail(input.email);
      const members = new MemberRepository(tx);
      const staged = await members.findByEmail(organizationId, email, MemberStatus.STAGED);
      await assertSeatAvailable(tx, access.organization, MemberStatus.INVITED);
      let member: Member;
      if (staged) {
        assertTransition('invite', staged.status);
        assertAuthority(access, staged);
        member = staged;
        member.status = MemberStatus.INVITED;
      } else {
        const profile = cleanProfile(input.profile);
        member = members.create({
          ...profile,
          email,
          userName: profile.userName ?? email,
          organization: access.organization,
          role,
          permissions,
          status: MemberStatus.INVITED,
          source: MemberSource.INVITE,
        });
      }
      const invitationToken = issueInvitation(tx, this.deps.config.PUBLIC_URL, access.organization, member);
      await flush(tx);
      if (input.groupIds?.length) {
        // Putting someone in a group is a group edit: it needs the right to manage groups too.
        assertCapability(access.capabilities, 'manageGroups');
        await this.addToGroups(tx, actor, organizationId, member.id, input.groupIds);
      }
      recordAudit(
        tx,
        actor,
        organizationId,
        'member.invited',
        { type: 'member', id: member.id },
        { email, role: member.role, permissions: { ...NO_PERMISSIONS, ...member.permissions } },
        access.membership?.id,
      );
      return { member, invitationToken };
    });
    return { member: memberView(member), invitationToken };
  }

  /**
   * SCIM create: INVITED with an e-mail, or STAGED when the organization provisions without invitations. One
   * transaction: the organization with its setting in one read, the seat guard when there is a limit, then the
   * member with its audit event and its invitation e-mail in one statement.
   */
  async provision(actor: Actor, organizationId: string, profile: MemberProfile, active = true): Promise<MemberView> {
    return this.write(async (tx) => {
      await authorize(tx, actor, organizationId, 'manageMembers', { loadOrganization: false });
      const provisioning = new ProvisioningRepository(tx);
      const found = await provisioning.organization(organizationId);
      if (!found) throw notFound('organization');
      const { organization, invite } = found;
      const status = invite ? MemberStatus.INVITED : MemberStatus.STAGED;
      if (active) await assertSeatAvailable(tx, organization, status);
      const member = provisioning.build({
        ...cleanProfile(profile),
        email: normalizeEmail(profile.email),
        userName: profile.userName.trim() || profile.email,
        organization,
        role: MemberRole.USER,
        permissions: { ...NO_PERMISSIONS },
        status: active ? status : MemberStatus.REVOKED,
        priorStatus: active ? null : status,
        source: MemberSource.SCIM,
        // Provisioned by an identity provider: the role follows the member's groups (none yet: the default role).
        roleSource: RoleSource.GROUPS,
      });
      const invitation =
        invite && active ? newInvitation(this.deps.config.PUBLIC_URL, organization, member).message : null;
      return provisioning.insert(
        member,
        auditedInStatement(
          tx,
          actor,
          auditEvent(
            actor,
            organizationId,
            'member.provisioned',
            { type: 'member', id: member.id },
            { email: member.email, status: member.status },
          ),
        ),
        invitation,
      );
    });
  }

  /** The invitee accepts with the token from its e-mail; the accepting account's email must match. */
  async accept(actor: Actor, token: string): Promise<MemberView> {
    if (actor.kind !== 'USER')
      throw new DomainError(ErrorCode.FORBIDDEN, 'only a signed-in user can accept an invitation');
    const member = await this.write(async (tx) => {
      const member = await new InvitationRepository(tx).findByTokenHash(hashSecret(token), true);
      if (invitationStatus(member) !== InvitationStatus.VALID) {
        throw new DomainError(ErrorCode.INVALID_TOKEN, 'the invitation is invalid or has expired', 'token');
      }
      if (member!.email.toLowerCase() !== actor.email.toLowerCase()) {
        throw new DomainError(ErrorCode.EMAIL_MISMATCH, 'the invitation was sent to another email address', 'token');
      }
      return this.acceptIn(tx, actor, member!);
    });
    return memberView(member);
  }

  /** What an invitation link is worth, without using it (the console's invitation page, before signing in). */
  async invitationPreview(token: string): Promise<InvitationPreview> {
    return this.read(async (em) => {
      const repository = new InvitationRepository(em);
      const member = token.length <= 200 ? await repository.findByTokenHash(hashSecret(token)) : null;
      const status = invitationStatus(member);
      if (!member) return { status, member: null, invitedBy: null, accountExists: false };
      const accountExists =
        status === InvitationStatus.VALID && (await new UserRepository(em).findByEmail(member.email)) !== null;
      return {
        status,
        member: invitationView(member),
        invitedBy: describeInviter(await repository.invitedBy(member.id)),
        accountExists,
      };
    });
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
    const member =
      token.length <= 200 ? await new InvitationRepository(tx).findByTokenHash(hashSecret(token), true) : null;
    const status = invitationStatus(member);
    if (status !== InvitationStatus.VALID) throw new InvitationUnusable(status);
    const users = new UserRepository(tx);
    const address = normalizeEmail(member!.email);
    let user: User | null;
    if (signedIn) {
      if (!sameAddress(signedIn.email, address)) {
        throw new DomainError(
          ErrorCode.EMAIL_MISMATCH,
          `You are signed in as ${signedIn.email}; this invitation is for ${maskEmail(address)}. Sign out and open the link again.`,
          'token',
        );
      }
      user = await users.findById(signedIn.userId);
      if (!user) throw new InvitationNeedsSignIn(maskEmail(address));
    } else {
      if (await users.findByEmail(address)) throw new InvitationNeedsSignIn(maskEmail(address));
      user = users.create(address, member!.displayName ?? member!.formattedName ?? null);
      await flush(tx);
    }
    this.acceptIn(tx, { kind: 'USER', userId: user.id, email: user.email, requestId }, member!);
    return { member: member!, user, newAccount: !signedIn };
  }

  private acceptIn(tx: Transaction, actor: Extract<Actor, { kind: 'USER' }>, member: Member): Member {
    member.status = MemberStatus.ACCEPTED;
    member.user = new UserRepository(tx).reference(actor.userId);
    // The token's hash stays: opening the link again says "already used" (a reinvitation replaces it).
    member.invitationExpiresAt = null;
    recordAudit(
      tx,
      actor,
      member.organization.id,
      'member.accepted',
      { type: 'member', id: member.id },
      null,
      member.id,
    );
    return member;
  }

  /** A STAGED member (provisioned without an e-mail) is invited: INVITED, with its invitation e-mail. */
  async sendInvitation(
    actor: Actor,
    organizationId: string,
    memberId: string,
  ): Promise<{ member: MemberView; invitationToken: string }> {
    const { member, invitationToken } = await this.mutate(
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
    const { member, invitationToken } = await this.mutate(
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
    const confirmed = await this.mutate(actor, organizationId, memberId, 'member.confirmed', async (_tx, member) => {
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
    const revoked = await this.mutate(
      actor,
      organizationId,
      memberId,
      'member.revoked',
      async (tx, member) => {
        await this.revokeIn(tx, member, reason ?? null);
        if (keepRevoked) {
          member.revocationHeldAt = new Date();
          member.revocationHeldBy = actorLabel(actor);
        }
        return member;
      },
      opts,
      { ...(reason ? { reason } : {}), ...(keepRevoked ? { keepRevoked } : {}) },
    );
    return memberView(revoked);
  }

  async restore(actor: Actor, organizationId: string, memberId: string, opts: WriteOptions = {}): Promise<MemberView> {
    const restored = await this.mutate(
      actor,
      organizationId,
      memberId,
      'member.restored',
      (tx, member, access) => this.restoreIn(tx, member, access.organization),
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
      await this.mutateIn(
        tx,
        actor,
        organizationId,
        memberId,
        'member.removed',
        (tx, member) => this.removeIn(tx, member),
        opts,
      );
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
    await this.mutateIn(
      tx,
      actor,
      organizationId,
      held.memberId,
      remove ? 'member.removed' : 'member.revoked',
      async (tx, member) => {
        if (remove) return this.removeIn(tx, member);
        return member.status === MemberStatus.REVOKED ? member : this.revokeIn(tx, member, null);
      },
      {},
      { heldDeprovisioningId: held.id, requestedAt: held.requestedAt.toISOString(), scimRequestId: held.requestId },
    );
  }

  private async removeIn(tx: Transaction, member: Member): Promise<Member> {
    await assertOwnerRemains(tx, member, 'remove');
    await dropHoldsOfRemoved(tx, member);
    new MemberRepository(tx).remove(member);
    return member;
  }

  /**
   * Profile, role and `active` in one transaction (admin edits, SCIM PUT and PATCH). `changes` may be computed
   * from the member as it is under the row lock (a SCIM PATCH applies to the current state, not to a stale read).
   */
  async update(
    actor: Actor,
    organizationId: string,
    memberId: string,
    changesOf: MemberChanges | ((current: MemberView) => MemberChanges),
    opts: WriteOptions = {},
  ): Promise<MemberView> {
    // The profile attributes this write changed (an update audits them by name), filled in by the change.
    const profileFields: string[] = [];
    const auditData: Record<string, unknown> = { fields: profileFields };
    const updated = await this.mutate(
      actor,
      organizationId,
      memberId,
      'member.updated',
      async (tx, member, access) => {
        const changes = typeof changesOf === 'function' ? changesOf(memberView(member)) : changesOf;
        const previousEmail = member.email;
        const current = { ...NO_PERMISSIONS, ...member.permissions };
        const next = { role: changes.role ?? member.role, permissions: { ...current, ...changes.permissions } };
        const roleChanges = next.role !== member.role || !sameJson(next.permissions, current);
        if (roleChanges && member.roleSource === RoleSource.GROUPS) await refuseManualRoleChange(tx, member);
        assertGrant(access, member, next);
        if (next.role !== member.role) {
          if (member.role === MemberRole.OWNER) await assertOwnerRemains(tx, member, 'demote');
          member.role = next.role;
        }
        if (changes.permissions && !sameJson(next.permissions, current)) member.permissions = next.permissions;
        if (changes.profile) {
          const previous: Record<string, unknown> = { ...memberView(member) };
          const profile = cleanProfile(changes.profile);
          if (profile.email !== undefined) profile.email = normalizeEmail(profile.email);
          // jsonb hands keys back reordered and the ORM compares JSON as text: an unchanged emails list is no change
          if (profile.emails !== undefined && sameJson(profile.emails, member.emails)) delete profile.emails;
          if (profile.phoneNumbers !== undefined && sameJson(profile.phoneNumbers, member.phoneNumbers))
            delete profile.phoneNumbers;
          Object.assign(member, profile);
          const current: Record<string, unknown> = { ...memberView(member) };
          profileFields.push(...Object.keys(profile).filter((k) => !sameJson(previous[k], current[k])));
        }
        if (changes.active === false && member.status !== MemberStatus.REVOKED) {
          // A SCIM deactivation past the safeguard is held: the rest of the change applies, the member stays active.
          const deactivate = HeldDeprovisioningAction.DEACTIVATE;
          if (!(await holdIfTripped(tx, actor, member, deactivate, this.deps.config.PUBLIC_URL)))
            await this.revokeIn(tx, member, changes.revocationReason ?? null);
        } else if (changes.active === true && member.status === MemberStatus.REVOKED) {
          // Kept revoked by hand: the identity provider's restore is held back (audited), the rest of its write applies.
          if (member.revocationHeldAt) this.restoreHeldBackIn(tx, actor, access, member);
          else await this.restoreIn(tx, member, access.organization);
        } else if (changes.active === true) {
          await supersedeHeldDeactivation(tx, actor, member);
        }
        // After the status change: a member revoked by this write gets no mail, one restored to INVITED gets one.
        if (!sameAddress(previousEmail, member.email)) this.addressChangedIn(tx, actor, access, member, previousEmail);
        if (changes.revocationReason && member.status === MemberStatus.REVOKED)
          auditData.reason = changes.revocationReason;
        return member;
      },
      opts,
      auditData,
    );
    return memberView(updated);
  }

  /** An identity provider's `active: true` for a member kept revoked: nothing changes but the audit trail. */
  private restoreHeldBackIn(tx: Transaction, actor: Actor, access: Access, member: Member): void {
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

  /**
   * The member's address changed: the token mailed to the old address is void (whoever reads that mailbox must not
   * accept for the new one). A member still waiting on its invitation gets a new one at the new address, in the
   * same transaction; anyone else just loses the old token.
   */
  private addressChangedIn(tx: Transaction, actor: Actor, access: Access, member: Member, previousEmail: string): void {
    if (member.status !== MemberStatus.INVITED) {
      voidInvitation(member);
      return;
    }
    issueInvitation(tx, this.deps.config.PUBLIC_URL, access.organization, member);
    recordAudit(
      tx,
      actor,
      access.organization.id,
      'member.reinvited',
      { type: 'member', id: member.id },
      { reason: 'email changed', previousEmail, email: member.email },
      access.membership?.id,
    );
  }

  private async revokeIn(tx: Transaction, member: Member, reason: string | null): Promise<Member> {
    assertTransition('revoke', member.status);
    await assertOwnerRemains(tx, member, 'revoke');
    member.priorStatus = member.status;
    member.status = MemberStatus.REVOKED;
    member.revocationReason = reason;
    return member;
  }

  private async restoreIn(tx: Transaction, member: Member, organization: Organization): Promise<Member> {
    assertTransition('restore', member.status);
    const next = member.priorStatus ?? MemberStatus.INVITED;
    await assertSeatAvailable(tx, organization, next);
    member.status = next;
    member.priorStatus = null;
    member.revocationReason = null;
    member.revocationHeldAt = null;
    member.revocationHeldBy = null;
    return member;
  }

  /** Loads the member in the caller's organization, checks rights and version, runs `change`, audits. */
  private mutate<T>(
    actor: Actor,
    organizationId: string,
    memberId: string,
    auditType: string,
    change: (tx: Transaction, member: Member, access: Access) => Promise<T>,
    opts: WriteOptions = {},
    auditData: Record<string, unknown> = {},
  ): Promise<T> {
    return this.write((tx) => this.mutateIn(tx, actor, organizationId, memberId, auditType, change, opts, auditData));
  }

  /** `mutate` in the caller's transaction; `auditData` joins the audit event's data. */
  private async mutateIn<T>(
    tx: Transaction,
    actor: Actor,
    organizationId: string,
    memberId: string,
    auditType: string,
    change: (tx: Transaction, member: Member, access: Access) => Promise<T>,
    opts: WriteOptions = {},
    auditData: Record<string, unknown> = {},
  ): Promise<T> {
    const access = await authorize(tx, actor, organizationId, 'manageMembers');
    const member = await new MemberRepository(tx).getInOrganization(organizationId, memberId, true);
    assertVersion(member, opts.expectedVersion, 'member');
    assertAuthority(access, member);
    const before = {
      status: member.status,
      role: member.role,
      permissions: { ...NO_PERMISSIONS, ...member.permissions },
    };
    const result = await change(tx, member, access);
    const removed = auditType === 'member.removed';
    await noteScimKeyExposure(tx, actor, organizationId, before, member, removed, access.membership?.id);
    const permissions = { ...NO_PERMISSIONS, ...member.permissions };
    const status = before.status !== member.status ? { from: before.status, to: member.status } : {};
    const grant = {
      ...(before.role !== member.role ? { roleFrom: before.role, roleTo: member.role } : {}),
      ...(!sameJson(before.permissions, permissions)
        ? { permissionsFrom: before.permissions, permissionsTo: permissions }
        : {}),
    };
    const audit = (type: string, data: Record<string, unknown>) =>
      recordAudit(tx, actor, organizationId, type, { type: 'member', id: member.id }, data, access.membership?.id);
    if (auditType === 'member.updated') {
      // An update names what happened: a (de)activation is a revocation or a restore, whoever asked for it (SCIM
      // PUT or PATCH), and the update itself is audited only when a role, a flag or a profile attribute changed.
      const { fields, reason, ...rest } = auditData as { fields: string[]; reason?: string };
      if (status.to)
        audit(status.to === MemberStatus.REVOKED ? 'member.revoked' : 'member.restored', {
          email: member.email,
          ...status,
          ...(reason ? { reason } : {}),
        });
      if (Object.keys(grant).length || fields.length)
        audit(auditType, { email: member.email, ...grant, ...(fields.length ? { fields } : {}), ...rest });
    } else audit(auditType, { email: member.email, ...status, ...grant, ...auditData });
    await flush(tx);
    return result;
  }

  private async addToGroups(
    tx: Transaction,
    actor: Actor,
    organizationId: string,
    memberId: string,
    groupIds: string[],
  ): Promise<void> {
    const repo = new GroupRepository(tx);
    const foreign = await repo.foreignGroupIds(organizationId, groupIds);
    if (foreign.length)
      throw new DomainError(ErrorCode.NOT_FOUND, `unknown group ids: ${foreign.join(', ')}`, 'groupIds');
    await refuseIdpGroupEdit(tx, actor, organizationId, groupIds);
    for (const groupId of new Set(groupIds))
      noteGroupMembers(tx, organizationId, groupId, await repo.addMembers(groupId, organizationId, [memberId]), []);
  }
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

/** Acting on a member needs authority over its current role (domain/policy). */
function assertAuthority(access: Access, member: Member): void {
  if (!mayActOn(access.authority, member.role))
    throw forbidden(`not allowed to manage a member whose role is ${member.role}`);
}

/** Nobody gives a role or flag it does not hold, nor changes its own (domain/policy). */
function assertGrant(
  access: Access,
  member: Member | null,
  next: { role: MemberRole; permissions: MemberPermissions },
): void {
  const target = member && {
    id: member.id,
    role: member.role,
    permissions: { ...NO_PERMISSIONS, ...member.permissions },
  };
  const refusal = grantRefusal(access.authority, target, next);
  if (refusal) throw forbidden(refusal);
}
