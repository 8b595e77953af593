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

/** What the actor may do in the organization, no entity loaded: the same answers as accessIn. */
async function capabilitiesIn(em: Transaction, actor: Actor, organizationId: string): Promise<Capabilities> {
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
