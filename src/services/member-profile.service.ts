import { LRUCache } from 'lru-cache';
import { type Actor } from '../domain/actor';
import { MemberRole, MemberSource, MemberStatus, NO_PERMISSIONS, RoleSource } from '../domain/enums';
import { DomainError, ErrorCode, notFound } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { type MemberProfile, cleanProfile, normalizeEmail } from '../domain/member-rules';
import { type OrganizationGuards, assertCapability } from '../domain/policy';
import { type MemberResourceFilter, type MemberSortAttribute, type ResourceListQuery } from '../domain/resource-filter';
import { type MemberView, memberView } from '../read-models/member.view';
import {
  type MemberFilter,
  type MemberOrder,
  MemberRepository,
  type MemberWithGroups,
} from '../repositories/member.repository';
import { type Page, type PageRequest } from '../repositories/pagination';
import { ProvisioningRepository, type ProvisioningTarget } from '../repositories/provisioning.repository';
import { authorize } from './access';
import { auditEvent, auditedInStatement } from './audit';
import { BaseService, type Transaction } from './base';
import { newInvitation } from './invitations';
import { assertSeatAvailable } from './member-guards';
import { type WriteOptions, changeMemberIn } from './members/audited-member-change';
import { type MemberChanges, type UpdateAudit, applyMemberChangesIn } from './members/member-changes';
import { peekPendingChanges } from './webhooks/pending-changes';
import { takeWebhookEventsOf } from './webhooks/publish';

/**
 * The members as the directory holds them: reads, SCIM provisioning, and profile, role and `active` updates. Every
 * write is one transaction with its audit event.
 */
export class MemberProfileService extends BaseService {
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
   * A page of the ids of the members matching a list filter (a bulk action over "all N matching"), after the
   * cursor that ended the previous page, with how many match in all. Reading them needs what listing them needs;
   * every action on them is authorized per member.
   */
  async idsMatching(
    actor: Actor,
    organizationId: string,
    filter: MemberFilter,
    page: { limit: number; after: string | null },
  ): Promise<{ ids: string[]; total: number; hasMore: boolean; endCursor: string | null }> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'viewMembers', { answerOnly: true });
      return new MemberRepository(em).idsMatching(organizationId, filter, page.limit, page.after);
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

  /**
   * The organizations' provisioning targets (name, seat limit, invitation setting), remembered briefly so that a
   * create is one statement. Never trusted blindly: the create's statement writes only while its target still holds.
   */
  private readonly targets = new LRUCache<string, ProvisioningTarget>({
    max: MAX_REMEMBERED_TARGETS,
    ttl: PROVISIONING_TARGET_TTL_MS,
  });

  /**
   * SCIM create: INVITED with an e-mail, or STAGED when the organization provisions without invitations. The member,
   * its audit event, its invitation e-mail and its webhook events are written by one statement, atomic on its own,
   * which also checks that the organization is as read (or as remembered from an earlier create): when it is not,
   * nothing was written and the create starts again from a fresh read. Without a seat limit that statement is the
   * whole create; with one, the seats are counted under the organization's lock, in one transaction with it.
   */
  async provision(actor: Actor, organizationId: string, profile: MemberProfile, active = true): Promise<MemberView> {
    const key = organizationId.toLowerCase();
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'manageMembers', { answerOnly: true });
      for (let attempt = 1; attempt <= PROVISION_ATTEMPTS; attempt++) {
        let target = attempt === 1 ? this.targets.get(key) : undefined;
        if (!target) {
          target = (await new ProvisioningRepository(em).organization(organizationId)) ?? undefined;
          if (!target) throw notFound('organization');
          this.targets.set(key, target);
        }
        const counted = target;
        const created =
          active && counted.seatLimit != null
            ? await this.write(async (tx) => {
                await assertSeatAvailable(tx, counted, provisionedStatus(counted));
                return this.insertProvisioned(tx, actor, counted, profile, active);
              })
            : await this.insertProvisioned(em, actor, counted, profile, active);
        if (created) return created;
        this.targets.delete(key);
      }
      throw new DomainError(ErrorCode.UNAVAILABLE, 'the organization kept changing during the create; try again');
    });
  }

  /**
   * The provisioned member's one statement: the member, its audit event, invitation e-mail and webhook events; null
   * when the organization is no longer as `target` says (nothing written).
   */
  private async insertProvisioned(
    em: Transaction,
    actor: Actor,
    target: ProvisioningTarget,
    profile: MemberProfile,
    active: boolean,
  ): Promise<MemberView | null> {
    const provisioning = new ProvisioningRepository(em);
    const status = provisionedStatus(target);
    // Assigned onto the cleaned profile, not spread from it: a spread of an object built key by key is slow in V8.
    const member = provisioning.draft(
      Object.assign(cleanProfile(profile), {
        email: normalizeEmail(profile.email),
        userName: profile.userName.trim() || profile.email,
        organizationId: target.id,
        role: MemberRole.USER,
        permissions: { ...NO_PERMISSIONS },
        status: active ? status : MemberStatus.REVOKED,
        priorStatus: active ? null : status,
        source: MemberSource.SCIM,
        // Provisioned by an identity provider: the role follows the member's groups (none yet: the default role).
        roleSource: RoleSource.GROUPS,
      }),
    );
    const invitation =
      target.invite && active ? newInvitation(this.deps.config.PUBLIC_URL, target.name, member).message : null;
    const audit = auditedInStatement(
      em,
      actor,
      auditEvent(
        actor,
        target.id,
        'member.provisioned',
        { type: 'member', id: member.id },
        { email: member.email, status: member.status },
      ),
    );
    // Its webhook events go in the same statement: no round trip of their own on the IdP's hottest write.
    const events = await takeWebhookEventsOf(em, [member], this.deps.webhookSubscriptions);
    // Outside a transaction nothing would publish a change left noted: every one must be in this statement.
    if (peekPendingChanges(em)) throw new Error('a provisioning change was left out of its statement');
    return provisioning.insert(member, target, audit, invitation, events);
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
    // What the update's audit event names besides the grant and the status, filled in by the change.
    const audit: UpdateAudit = { fields: [] };
    const publicUrl = this.deps.config.PUBLIC_URL;
    const updated = await this.write((tx) =>
      changeMemberIn(
        tx,
        actor,
        organizationId,
        memberId,
        'member.updated',
        async (tx, member, access) => {
          const changes = typeof changesOf === 'function' ? changesOf(memberView(member)) : changesOf;
          return applyMemberChangesIn(tx, publicUrl, actor, access, member, changes, audit);
        },
        opts,
        audit,
      ),
    );
    return memberView(updated);
  }
}

/** How long an organization's provisioning target is remembered at most (every use is checked anyway). */
const PROVISIONING_TARGET_TTL_MS = 5_000;
const MAX_REMEMBERED_TARGETS = 10_000;
/** A create whose organization changed under it starts again from a fresh read, this many times in all. */
const PROVISION_ATTEMPTS = 3;

/** A provisioned member starts INVITED with an e-mail, or STAGED when the organization provisions without invitations. */
const provisionedStatus = (target: ProvisioningTarget): MemberStatus =>
  target.invite ? MemberStatus.INVITED : MemberStatus.STAGED;
