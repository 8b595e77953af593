import { type Actor } from '../domain/actor';
import { MemberRole, MemberSource, MemberStatus, NO_PERMISSIONS } from '../domain/enums';
import { DomainError, ErrorCode, invalidInput } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { normalizeEmail } from '../domain/member-rules';
import { MemberRepository } from '../repositories/member.repository';
import { flush } from '../repositories/unit-of-work';
import { OrganizationRepository } from '../repositories/organization.repository';
import { ScimSettingsRepository } from '../repositories/scim-settings.repository';
import { UserRepository } from '../repositories/user.repository';
import { authorize, authorizedView, noteReadRights } from './access';
import { recordAudit } from './audit';
import { BaseService } from './base';
import { type AccessView } from '../read-models/access.view';
import { type MemberView, memberView } from '../read-models/member.view';
import {
  type InvitationView,
  type OrganizationView,
  type PendingMembershipView,
  invitationView,
  organizationView,
} from '../read-models/organization.view';
import { issueAccessToken } from './token.service';
import { requiredName } from '../domain/text';

export interface CreateOrganizationInput {
  name: string;
  ownerEmail: string;
  ownerName?: string | null;
  seatLimit?: number | null;
}

export class OrganizationService extends BaseService {
  /** Creates the organization with its first CONFIRMED OWNER and an access token for that owner. */
  async create(
    actor: Actor,
    input: CreateOrganizationInput,
  ): Promise<{ organization: OrganizationView; owner: MemberView; ownerToken: string }> {
    const name = requireName(input.name);
    const email = normalizeEmail(input.ownerEmail, 'ownerEmail');
    if (actor.kind === 'USER' && actor.email.toLowerCase() !== email.toLowerCase()) {
      throw new DomainError(ErrorCode.FORBIDDEN, 'a user can only create an organization it owns itself', 'ownerEmail');
    }
    if (actor.kind === 'SCIM')
      throw new DomainError(ErrorCode.FORBIDDEN, 'SCIM connections cannot create organizations');
    if (input.seatLimit != null && (!Number.isInteger(input.seatLimit) || input.seatLimit < 1))
      throw invalidInput('seatLimit must be a positive integer', 'seatLimit');
    const created = await this.write(async (tx) => {
      const user = await new UserRepository(tx).findOrCreate(email, input.ownerName ?? null);
      const organization = new OrganizationRepository(tx).create(name, input.seatLimit ?? null);
      const owner = new MemberRepository(tx).create({
        organization,
        user,
        email: user.email,
        userName: user.email,
        displayName: input.ownerName ?? user.name,
        role: MemberRole.OWNER,
        permissions: { ...NO_PERMISSIONS },
        status: MemberStatus.CONFIRMED,
        source: MemberSource.OWNER,
      });
      new ScimSettingsRepository(tx).create(organization);
      await flush(tx);
      const { token } = await issueAccessToken(tx, actor, user, {
        name: `owner token for ${name}`,
        limit: this.deps.config.ACCESS_TOKENS_PER_ACCOUNT,
      });
      recordAudit(
        tx,
        actor,
        organization.id,
        'organization.created',
        { type: 'organization', id: organization.id },
        { name, ownerEmail: email },
        owner.id,
      );
      return { organization, owner, ownerToken: token };
    });
    return {
      organization: organizationView(created.organization),
      owner: memberView(created.owner),
      ownerToken: created.ownerToken,
    };
  }

  async get(actor: Actor, organizationId: string): Promise<AccessView> {
    return this.read(async (em) => {
      const access = await authorizedView(em, actor, organizationId, 'viewOrganization');
      noteReadRights(actor, organizationId, access.capabilities);
      return access;
    });
  }

  /**
   * What a bare UUID names (GraphQL `node(id)`): its kind and organization, or null. It grants nothing:
   * the caller then reads the object through the service that checks the actor's rights.
   */
  async locate(
    _actor: Actor,
    id: string,
  ): Promise<{ type: 'Organization' | 'Member' | 'Group'; organizationId: string } | null> {
    if (!isUuid(id)) return null;
    return this.read((em) => new OrganizationRepository(em).locate(id));
  }

  /** The organizations in which a user is a CONFIRMED member. */
  async listForUser(actor: Actor): Promise<OrganizationView[]> {
    if (actor.kind !== 'USER') return [];
    return this.read(async (em) =>
      (await new OrganizationRepository(em).confirmedForUser(actor.userId)).map(organizationView),
    );
  }

  /** Invitations waiting for this user (by email). */
  async pendingInvitations(actor: Actor): Promise<InvitationView[]> {
    if (actor.kind !== 'USER') return [];
    return this.read(async (em) => (await new MemberRepository(em).invitedByEmail(actor.email)).map(invitationView));
  }

  /** The user's own memberships that give no rights yet (invited, or accepted and awaiting confirmation). */
  async pendingMemberships(actor: Actor): Promise<PendingMembershipView[]> {
    if (actor.kind !== 'USER') return [];
    return this.read((em) => new MemberRepository(em).pendingForUser(actor.userId));
  }

  async update(
    actor: Actor,
    organizationId: string,
    input: { name?: string; seatLimit?: number | null },
  ): Promise<OrganizationView> {
    return this.write(async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'viewOrganization');
      if (!access.capabilities.updateOrganization)
        throw new DomainError(ErrorCode.FORBIDDEN, 'not allowed to update this organization');
      if (input.name !== undefined) access.organization.name = requireName(input.name);
      if (input.seatLimit !== undefined) {
        if (input.seatLimit != null && (!Number.isInteger(input.seatLimit) || input.seatLimit < 1))
          throw invalidInput('seatLimit must be a positive integer', 'seatLimit');
        access.organization.seatLimit = input.seatLimit;
      }
      recordAudit(
        tx,
        actor,
        organizationId,
        'organization.updated',
        { type: 'organization', id: organizationId },
        { ...input },
        access.membership?.id,
      );
      return organizationView(access.organization);
    });
  }
}

const requireName = (name: string) => requiredName(name, 'name', 200);
