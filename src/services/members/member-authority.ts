import { type MemberPermissions, type MemberRole, NO_PERMISSIONS } from '../../domain/enums';
import { forbidden } from '../../domain/errors';
import { grantRefusal, mayActOn } from '../../domain/policy';
import { type Member } from '../../entities';
import { type Access } from '../access';

/** Acting on a member needs authority over its current role (domain/policy). */
export function assertAuthority(access: Access, member: Member): void {
  if (!mayActOn(access.authority, member.role))
    throw forbidden(`not allowed to manage a member whose role is ${member.role}`);
}

/** Nobody gives a role or flag it does not hold, nor changes its own (domain/policy). */
export function assertGrant(
  access: Access,
  member: Member | null,
  next: { role: MemberRole; permissions: MemberPermissions },
): void {
  const target = member && {
    id: member.id,
    role: member.role,
    permissions: { ...NO_PERMISSIONS, ...member.permissions },
  };
  const refusal = grantRefusal(access.authority, target, next);
  if (refusal) throw forbidden(refusal);
}
