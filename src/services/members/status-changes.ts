import { MemberStatus } from '../../domain/enums';
import { assertTransition } from '../../domain/member-rules';
import { type Member, type Organization } from '../../entities';
import { MemberRepository } from '../../repositories/member.repository';
import { type Transaction } from '../../repositories/unit-of-work';
import { dropHoldsOfRemoved } from '../deprovisioning-safeguard';
import { assertOwnerRemains, assertSeatAvailable } from '../member-guards';

/** REVOKED, remembering the status a restore returns to; the last confirmed owner stays. */
export async function revokeMemberIn(tx: Transaction, member: Member, reason: string | null): Promise<Member> {
  assertTransition('revoke', member.status);
  await assertOwnerRemains(tx, member, 'revoke');
  member.priorStatus = member.status;
  member.status = MemberStatus.REVOKED;
  member.revocationReason = reason;
  return member;
}

/** Back to the status before the revocation (a seat permitting), the reason and any keep-revoked hold dropped. */
export async function restoreMemberIn(tx: Transaction, member: Member, organization: Organization): Promise<Member> {
  assertTransition('restore', member.status);
  const next = member.priorStatus ?? MemberStatus.INVITED;
  await assertSeatAvailable(tx, organization, next);
  member.status = next;
  member.priorStatus = null;
  member.revocationReason = null;
  member.revocationHeldAt = null;
  member.revocationHeldBy = null;
  member.revocationHoldReportedAt = null;
  return member;
}

/** Gone, with the deprovisionings held for it; the last confirmed owner stays. */
export async function removeMemberIn(tx: Transaction, member: Member): Promise<Member> {
  await assertOwnerRemains(tx, member, 'remove');
  await dropHoldsOfRemoved(tx, member);
  new MemberRepository(tx).remove(member);
  return member;
}
