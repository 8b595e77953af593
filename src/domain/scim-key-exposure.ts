import { MemberStatus } from './enums';
import { type MembershipView, capabilitiesOf } from './policy';

/** How a member who could handle the SCIM key lost that right. */
export type ScimKeyExposureReason = 'REMOVED' | 'REVOKED' | 'DEMOTED';

/**
 * Whether a change took the right to enable SCIM and rotate its key (`manageScimKeys`: owners, and members an
 * owner gave it) from someone who held it. Such a person may have seen the key in clear when it was issued, and
 * still know it: the owners should rotate it. `after` null: the membership was removed.
 */
export function scimKeyExposure(before: MembershipView, after: MembershipView | null): ScimKeyExposureReason | null {
  if (!capabilitiesOf(before).manageScimKeys) return null;
  if (!after) return 'REMOVED';
  if (capabilitiesOf(after).manageScimKeys) return null;
  return after.status === MemberStatus.REVOKED ? 'REVOKED' : 'DEMOTED';
}
