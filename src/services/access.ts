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
import { type AccessView, accessView } from '../read-models/access.view';

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

export type Capability = keyof Capabilities;

/**
 * May this actor do `capability` in this organization? The one question every use case asks before it reads or
 * writes. An organization the actor may not see is NOT_FOUND, never its existence; a right it lacks is FORBIDDEN
 * (domain/policy.ts decides both). `viewOrganization` asks only that the actor may see the organization.
 *
 * The answer is what the use case works with next: the organization, the actor's membership and authority; or,
 * with `{ answerOnly: true }`, for a read that needs nothing else, the capabilities alone, no entity loaded (one
 * statement for a user, none for the organization's own SCIM key).
 */
export function authorize(
  em: Transaction,
  actor: Actor,
  organizationId: string,
  capability: Capability,
  opts: { answerOnly: true },
): Promise<Capabilities>;
export function authorize(
  em: Transaction,
  actor: Actor,
  organizationId: string,
  capability: Capability,
  opts?: AccessOptions,
): Promise<Access>;
export async function authorize(
  em: Transaction,
  actor: Actor,
  organizationId: string,
  capability: Capability,
  opts: AccessOptions | { answerOnly: true } = {},
): Promise<Access | Capabilities> {
  if ('answerOnly' in opts) {
    const capabilities = await capabilitiesIn(em, actor, organizationId);
    assertCapability(capabilities, capability);
    return capabilities;
  }
  const access = await accessIn(em, actor, organizationId, opts);
  assertCapability(access.capabilities, capability);
  return access;
}

/** What the actor may do in the organization, with the entities a write works on. */
async function accessIn(
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

/**
 * The access as the transports read it (the organization's own fields, the viewer's membership and rights), with
 * `capability` checked: the same answers as `authorize`, for a user in one statement and without an entity.
 */
export async function authorizedView(
  em: Transaction,
  actor: Actor,
  organizationId: string,
  capability: Capability,
): Promise<AccessView> {
  if (actor.kind !== 'USER') return accessView(await authorize(em, actor, organizationId, capability));
  const found = isUuid(organizationId)
    ? await new MemberRepository(em).organizationWithConfirmedMembership(organizationId, actor.userId)
    : null;
  if (!found) throw notFound('organization');
  const capabilities = capabilitiesOf(found.membership);
  if (!capabilities.viewOrganization) throw notFound('organization');
  assertCapability(capabilities, capability);
  return {
    organization: found.organization,
    capabilities,
    membership: found.membership,
    authority: authorityOf('USER', found.membership),
  };
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
 * What the actor may do in the organization, no entity loaded: the same answers as accessIn (NOT_FOUND for an
 * organization the actor may not see). Once per request for an actor whose read rights are remembered.
 */
function capabilitiesIn(em: Transaction, actor: Actor, organizationId: string): Promise<Capabilities> {
  const remembered = readRights.get(actor);
  if (!remembered) return capabilitiesNow(em, actor, organizationId);
  let rights = remembered.get(organizationId);
  if (!rights) {
    rights = capabilitiesNow(em, actor, organizationId);
    remembered.set(organizationId, rights);
    // A failure (NOT_FOUND, or the database) is not remembered: the next read asks again.
    rights.catch(() => remembered.delete(organizationId));
  }
  return rights;
}

async function capabilitiesNow(em: Transaction, actor: Actor, organizationId: string): Promise<Capabilities> {
  if (actor.kind === 'SCIM' && actor.organizationId === organizationId && isUuid(organizationId))
    return SCIM_CAPABILITIES;
  if (actor.kind !== 'USER') return (await accessIn(em, actor, organizationId)).capabilities;
  const rights = isUuid(organizationId)
    ? await new MemberRepository(em).confirmedRights(organizationId, actor.userId)
    : null;
  if (!rights) throw notFound('organization');
  const capabilities = capabilitiesOf(rights.membership);
  if (!capabilities.viewOrganization) throw notFound('organization');
  return capabilities;
}
