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
 * Read rights remembered for one actor object, per organization: a GraphQL query resolves many fields through
 * several services, and each read would otherwise read the same rights again. Only an actor made for one request
 * is ever remembered (see rememberReadRights), so nothing outlives the request.
 */
const readRights = new WeakMap<Actor, Map<string, Promise<Capabilities>>>();

/**
 * From now on the reads of `actor` (an object made for one request) check its rights in an organization once.
 * For a request that only reads: a write may change them (forgetReadRights).
 */
export function rememberReadRights(actor: Actor): void {
  readRights.set(actor, new Map());
}

/** The reads of `actor` check its rights each time again, as for any actor. */
export function forgetReadRights(actor: Actor): void {
  readRights.delete(actor);
}

/** Rights an access resolved for another reason (the organization itself was read), kept for the reads after it. */
export function noteReadRights(actor: Actor, organizationId: string, capabilities: Capabilities): void {
  const remembered = readRights.get(actor);
  if (remembered && !remembered.has(organizationId)) remembered.set(organizationId, Promise.resolve(capabilities));
}

/**
 * What the actor may do in the organization, for a read that needs nothing else: no organization or membership
 * entity is loaded. Nothing to read for the organization's own SCIM key, one statement for a user (none when the
 * request already read them). The same answers as resolveAccess (NOT_FOUND for an organization the actor may not see).
 */
export function readCapabilities(em: Transaction, actor: Actor, organizationId: string): Promise<Capabilities> {
  const remembered = readRights.get(actor);
  if (!remembered) return readCapabilitiesNow(em, actor, organizationId);
  let rights = remembered.get(organizationId);
  if (!rights) {
    rights = readCapabilitiesNow(em, actor, organizationId);
    remembered.set(organizationId, rights);
    // A failure (NOT_FOUND, or the database) is not remembered: the next read asks again.
    rights.catch(() => remembered.delete(organizationId));
  }
  return rights;
}

async function readCapabilitiesNow(em: Transaction, actor: Actor, organizationId: string): Promise<Capabilities> {
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
