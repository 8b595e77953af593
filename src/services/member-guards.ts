import { DomainError, ErrorCode } from '../domain/errors';
import { isConfirmedOwner, occupiesSeat } from '../domain/member-rules';
import { type MemberStatus } from '../domain/enums';
import { type Member, type Organization } from '../entities';
import { MemberRepository } from '../repositories/member.repository';
import { OrganizationRepository } from '../repositories/organization.repository';
import { type Transaction } from '../repositories/unit-of-work';

/**
 * Member guards that count rows (a confirmed owner remains, a seat is free). Each takes the organization row lock first so that two
 * concurrent changes cannot both pass the count (e.g. revoking the last two owners at once).
 */
export async function assertOwnerRemains(tx: Transaction, member: Member, action: string): Promise<void> {
  if (!isConfirmedOwner(member)) return;
  const orgId = member.organization.id;
  await new OrganizationRepository(tx).lock(orgId);
  const owners = (await new MemberRepository(tx).guardCounts(orgId)).confirmedOwners;
  // The member itself is still counted (its change is not flushed yet).
  if (owners <= 1) {
    throw new DomainError(ErrorCode.LAST_OWNER, `cannot ${action} the last confirmed owner of the organization`);
  }
}

export async function assertSeatAvailable(
  tx: Transaction,
  organization: Pick<Organization, 'id' | 'seatLimit'>,
  nextStatus: MemberStatus,
): Promise<void> {
  if (organization.seatLimit == null || !occupiesSeat(nextStatus)) return;
  await new OrganizationRepository(tx).lock(organization.id);
  const used = (await new MemberRepository(tx).guardCounts(organization.id)).seatsUsed;
  if (used >= organization.seatLimit) {
    throw new DomainError(
      ErrorCode.SEAT_LIMIT,
      `the organization has no free seat (${used} of ${organization.seatLimit} used)`,
    );
  }
}
