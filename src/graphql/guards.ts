import { type Capabilities, assertCapability } from '../domain/policy';
import { type GraphQLContext } from './context';
import { type OrganizationAccess } from './common/loaders';

/**
 * The organization-wide check a bulk mutation makes before its items: an organization the viewer may
 * not see fails the whole call as NOT_FOUND, a missing right as FORBIDDEN. The rights come from
 * domain/policy.ts (through the organization service), like every other check.
 */
export async function requireCapability(
  ctx: GraphQLContext,
  organizationId: string,
  capability: keyof Capabilities,
): Promise<OrganizationAccess> {
  const access = await ctx.loaders.access(organizationId);
  assertCapability(access.capabilities, capability);
  return access;
}

/** GraphQL sends explicit nulls for omitted nullable arguments in some clients; the services expect undefined. */
export function definedOnly<T extends object>(value: T | null | undefined): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined && v !== null)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}
