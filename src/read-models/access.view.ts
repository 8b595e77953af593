import { type Authority, type Capabilities } from '../domain/policy';
import { type Member, type Organization } from '../entities';
import { type MemberView, memberView } from './member.view';
import { type OrganizationView, organizationView } from './organization.view';

/** What the actor may do in one organization, as the transports read it. */
export interface AccessView {
  readonly organization: OrganizationView;
  readonly capabilities: Capabilities;
  /** The acting user's own membership, when the actor is a user. */
  readonly membership: MemberView | null;
  /** What the actor may give and whom it may act on (domain/policy grant rules). */
  readonly authority: Authority;
}

/** The access a service resolved, over the entities it loaded. */
interface ResolvedAccess {
  readonly organization: Organization;
  readonly capabilities: Capabilities;
  readonly membership: Member | null;
  readonly authority: Authority;
}

export function accessView(access: ResolvedAccess): AccessView {
  return {
    organization: organizationView(access.organization),
    capabilities: access.capabilities,
    membership: access.membership && memberView(access.membership),
    authority: access.authority,
  };
}
