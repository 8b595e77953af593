import { type Authority, type Capabilities } from '../domain/policy';
import { type Access } from '../services/access';
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

export function accessView(access: Access): AccessView {
  return {
    organization: organizationView(access.organization),
    capabilities: access.capabilities,
    membership: access.membership && memberView(access.membership),
    authority: access.authority,
  };
}
