import { type Actor } from '../../domain/actor';
import { MemberStatus } from '../../domain/enums';
import { type Member } from '../../entities';
import { type Transaction } from '../../repositories/unit-of-work';
import { type Access } from '../access';
import { recordAudit } from '../audit';
import { issueInvitation, voidInvitation } from '../invitations';

/**
 * The member's address changed: the token mailed to the old address is void (whoever reads that mailbox must not
 * accept for the new one). A member still waiting on its invitation gets a new one at the new address, in the
 * same transaction; anyone else just loses the old token.
 */
export function addressChangedIn(
  tx: Transaction,
  publicUrl: string,
  actor: Actor,
  access: Access,
  member: Member,
  previousEmail: string,
): void {
  if (member.status !== MemberStatus.INVITED) {
    voidInvitation(member);
    return;
  }
  issueInvitation(tx, publicUrl, access.organization, member);
  recordAudit(
    tx,
    actor,
    access.organization.id,
    'member.reinvited',
    { type: 'member', id: member.id },
    { reason: 'email changed', previousEmail, email: member.email },
    access.membership?.id,
  );
}
