import { type Actor } from '../../domain/actor';
import { type MemberPermissions, MemberRole, MemberStatus, NO_PERMISSIONS, RoleSource } from '../../domain/enums';
import { sameAddress } from '../../domain/invitation-rules';
import { sameJson } from '../../domain/json';
import { type MemberProfile, cleanProfile, normalizeEmail } from '../../domain/member-rules';
import { type Member } from '../../entities';
import { memberView } from '../../read-models/member.view';
import { type Transaction } from '../../repositories/unit-of-work';
import { type Access } from '../access';
import { HeldDeprovisioningAction, holdIfTripped, supersedeHeldDeactivation } from '../deprovisioning-safeguard';
import { refuseManualRoleChange } from '../group-roles';
import { assertOwnerRemains } from '../member-guards';
import { addressChangedIn } from './address-change';
import { recordRestoreHeldBack } from './keep-revoked';
import { assertGrant } from './member-authority';
import { restoreMemberIn, revokeMemberIn } from './status-changes';

export interface MemberChanges {
  profile?: Partial<MemberProfile>;
  role?: MemberRole;
  permissions?: Partial<MemberPermissions>;
  /** false = revoke, true = restore (SCIM `active`). */
  active?: boolean;
  revocationReason?: string | null;
}

/** What an update audits besides the grant and the status: the profile attributes it changed, a revocation's reason. */
export type UpdateAudit = { fields: string[]; reason?: string };

/**
 * Applies profile, role and `active` changes to a member locked in the caller's transaction, noting in `audit` what
 * the update's audit event names.
 */
export async function applyMemberChangesIn(
  tx: Transaction,
  publicUrl: string,
  actor: Actor,
  access: Access,
  member: Member,
  changes: MemberChanges,
  audit: UpdateAudit,
): Promise<Member> {
  const previousEmail = member.email;
  const current = { ...NO_PERMISSIONS, ...member.permissions };
  const next = { role: changes.role ?? member.role, permissions: { ...current, ...changes.permissions } };
  const roleChanges = next.role !== member.role || !sameJson(next.permissions, current);
  if (roleChanges && member.roleSource === RoleSource.GROUPS) await refuseManualRoleChange(tx, member);
  assertGrant(access, member, next);
  if (next.role !== member.role) {
    if (member.role === MemberRole.OWNER) await assertOwnerRemains(tx, member, 'demote');
    member.role = next.role;
  }
  if (changes.permissions && !sameJson(next.permissions, current)) member.permissions = next.permissions;
  if (changes.profile) {
    const previous: Record<string, unknown> = { ...memberView(member) };
    const profile = cleanProfile(changes.profile);
    if (profile.email !== undefined) profile.email = normalizeEmail(profile.email);
    // jsonb hands keys back reordered and the ORM compares JSON as text: an unchanged emails list is no change
    if (profile.emails !== undefined && sameJson(profile.emails, member.emails)) delete profile.emails;
    if (profile.phoneNumbers !== undefined && sameJson(profile.phoneNumbers, member.phoneNumbers))
      delete profile.phoneNumbers;
    Object.assign(member, profile);
    const current: Record<string, unknown> = { ...memberView(member) };
    audit.fields.push(...Object.keys(profile).filter((k) => !sameJson(previous[k], current[k])));
  }
  if (changes.active === false && member.status !== MemberStatus.REVOKED) {
    // A SCIM deactivation past the safeguard is held: the rest of the change applies, the member stays active.
    const deactivate = HeldDeprovisioningAction.DEACTIVATE;
    if (!(await holdIfTripped(tx, actor, member, deactivate, publicUrl)))
      await revokeMemberIn(tx, member, changes.revocationReason ?? null);
  } else if (changes.active === true && member.status === MemberStatus.REVOKED) {
    // Kept revoked by hand: the identity provider's restore is held back (audited), the rest of its write applies.
    if (member.revocationHeldAt) recordRestoreHeldBack(tx, actor, access, member);
    else await restoreMemberIn(tx, member, access.organization);
  } else if (changes.active === true) {
    await supersedeHeldDeactivation(tx, actor, member);
  }
  // After the status change: a member revoked by this write gets no mail, one restored to INVITED gets one.
  if (!sameAddress(previousEmail, member.email)) addressChangedIn(tx, publicUrl, actor, access, member, previousEmail);
  if (changes.revocationReason && member.status === MemberStatus.REVOKED) audit.reason = changes.revocationReason;
  return member;
}
