import { invitationAddress } from '../domain/invitation-rules';
import { type Member, type Organization } from '../entities';
import { type OutboxMail, type OutboxMessageContent, OutboxRepository } from '../repositories/outbox.repository';
import { type Transaction } from '../repositories/unit-of-work';
import { generateSecret, hashSecret } from './secrets';

export const INVITATION_TTL_DAYS = 7;

/**
 * Gives the member a fresh invitation token and queues its e-mail in the same transaction, so an
 * invitation that committed is never lost and one that rolled back is never sent.
 */
export function issueInvitation(
  tx: Transaction,
  publicUrl: string,
  organization: Organization,
  member: Member,
): string {
  const { token, message } = newInvitation(publicUrl, organization.name, member);
  new OutboxRepository(tx).enqueue({ ...message, organization, memberId: member.id });
  return token;
}

/** What an invitation sets on a member: its token's hash, the address it goes to, and when it expires. */
export interface InvitableMember {
  readonly id: string;
  readonly email: string;
  invitationTokenHash: string | null;
  invitationEmail: string | null;
  invitationExpiresAt: Date | null;
}

/**
 * Gives the member a fresh invitation token and returns its e-mail, for a write that stores the message itself in
 * the statement that stores the member (see issueInvitation).
 */
export function newInvitation(
  publicUrl: string,
  organizationName: string,
  member: InvitableMember,
): { token: string; message: OutboxMessageContent } {
  const token = generateSecret('inv');
  member.invitationTokenHash = hashSecret(token);
  // The token is bound to the address this mail goes to: a later change of the member's address voids it.
  member.invitationEmail = invitationAddress(member.email);
  member.invitationExpiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 24 * 3600 * 1000);
  const link = `${publicUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
  const mail: OutboxMail = {
    subject: `You are invited to join ${organizationName}`,
    text:
      `You have been invited to join ${organizationName}.\n\n` +
      `Accept the invitation: ${link}\n\n` +
      `Or accept it over the API with the invitationAccept mutation and this token:\n${token}\n\n` +
      `The invitation expires in ${INVITATION_TTL_DAYS} days.`,
  };
  return { token, message: { kind: 'INVITATION', recipient: member.email, mail } };
}

/** Makes the member's invitation token worthless (its address changed): the link then says "not valid". */
export function voidInvitation(member: Member): void {
  member.invitationTokenHash = null;
  member.invitationEmail = null;
  member.invitationExpiresAt = null;
}
