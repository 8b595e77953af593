import { type Actor } from '../domain/actor';
import { notFound } from '../domain/errors';
import { isUuid } from '../domain/ids';
import {
  ALL_CAPABILITIES,
  type Authority,
  type Capabilities,
  SCIM_CAPABILITIES,
  assertCapability,
  authorityOf,
  capabilitiesOf,
} from '../domain/policy';
import { type Member, type Organization } from '../entities';
import { MemberRepository } from '../repositories/member.repository';
import { OrganizationRepository } from '../repositories/organization.repository';
import { type Transaction } from '../repositories/unit-of-work';

export interface Access {
  organization: Organization;
  capabilities: Capabilities;
  /** The acting user's own membership, when the actor is a user. */
  membership: Member | null;
  /** What the actor may give and whom it may act on (domain/policy grant rules). */
  authority: Authority;
}

export interface AccessOptions {
  /** false: the caller reads no field of the organization (it may then be an unloaded reference). */
  loadOrganization?: boolean;
}

/**
 * Resolves what the actor may do in the organization. An organization the actor may not see reads as
 * NOT_FOUND, never as its existence.
 */
export async function resolveAccess(
  em: Transaction,
  actor: Actor,
  organizationId: string,
  opts: AccessOptions = {},
): Promise<Access> {
  if (
    actor.kind === 'SCIM' &&
    opts.loadOrganization === false &&
    actor.organizationId === organizationId &&
    isUuid(organizationId)
  ) {
    // The SCIM key check already proved this organization exists and that the key is its own; a read
    // that does not use the organization's fields needs no second look-up.
    return {
      organization: new OrganizationRepository(em).reference(organizationId),
      capabilities: SCIM_CAPABILITIES,
      membership: null,
      authority: { kind: 'SCIM' },
    };
  }
  const organization = isUuid(organizationId) ? await new OrganizationRepository(em).findById(organizationId) : null;
  if (!organization) throw notFound('organization');
  switch (actor.kind) {
    case 'CLI':
    case 'SYSTEM':
      return { organization, capabilities: ALL_CAPABILITIES, membership: null, authority: { kind: 'OPERATOR' } };
    case 'SCIM':
      if (actor.organizationId !== organizationId) throw notFound('organization');
      return { organization, capabilities: SCIM_CAPABILITIES, membership: null, authority: { kind: 'SCIM' } };
    case 'USER': {
      const membership = await new MemberRepository(em).confirmedMembership(organizationId, actor.userId);
      const capabilities = capabilitiesOf(membership);
      if (!capabilities.viewOrganization) throw notFound('organization');
      return { organization, capabilities, membership, authority: authorityOf('USER', membership) };
    }
  }
}

export async function requireCapability(
  em: Transaction,
  actor: Actor,
  organizationId: string,
  capability: keyof Capabilities,
  opts: AccessOptions = {},
): Promise<Access> {
  const access = await resolveAccess(em, actor, organizationId, opts);
  assertCapability(access.capabilities, capability);
  return access;
}

/**
 * What the actor may do in the organization, for a read that needs nothing else: no organization or membership
 * entity is loaded. Nothing to read for the organization's own SCIM key, one statement for a user. The same
 * answers as resolveAccess (NOT_FOUND for an organization the actor may not see).
 */
export async function readCapabilities(em: Transaction, actor: Actor, organizationId: string): Promise<Capabilities> {
  if (actor.kind === 'SCIM' && actor.organizationId === organizationId && isUuid(organizationId))
    return SCIM_CAPABILITIES;
  if (actor.kind !== 'USER') return (await resolveAccess(em, actor, organizationId)).capabilities;
  const rights = isUuid(organizationId)
    ? await new MemberRepository(em).confirmedRights(organizationId, actor.userId)
    : null;
  if (!rights) throw notFound('organization');
  const capabilities = capabilitiesOf(rights.membership);
  if (!capabilities.viewOrganization) throw notFound('organization');
  return capabilities;
}

/** readCapabilities, then the capability the read needs (FORBIDDEN without it). */
export async function requireReadCapability(
  em: Transaction,
  actor: Actor,
  organizationId: string,
  capability: keyof Capabilities,
): Promise<void> {
  assertCapability(await readCapabilities(em, actor, organizationId), capability);
}
