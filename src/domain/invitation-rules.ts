import { MemberStatus } from './enums';

/** What an invitation link can be worth when someone opens it (POST /auth/invitation `status`). */
export enum InvitationStatus {
  VALID = 'VALID',
  EXPIRED = 'EXPIRED',
  USED = 'USED',
  REVOKED = 'REVOKED',
  INVALID = 'INVALID',
}

/** How an invitation names its address: trimmed and lower-cased, so a change of case is no change of address. */
export const invitationAddress = (email: string): string => email.trim().toLowerCase();

/** Whether two e-mail addresses are the same mailbox for an invitation (case-insensitive, like accounts). */
export const sameAddress = (a: string, b: string): boolean => invitationAddress(a) === invitationAddress(b);

/**
 * The state of the member a token points at. An accepted member keeps the hash of the token it used, so a
 * second click on the link says "already used" rather than "invalid"; a reinvitation replaces the hash.
 * A token is bound to the address it was mailed to: once the member's address is another one, the token is
 * INVALID whatever the member's status (the mail went to somebody who may not own the new address).
 */
export function invitationStatus(
  member: {
    status: MemberStatus;
    email: string;
    invitationEmail: string | null;
    invitationExpiresAt: Date | null;
  } | null,
  now = new Date(),
): InvitationStatus {
  if (!member) return InvitationStatus.INVALID;
  if (member.invitationEmail === null || !sameAddress(member.invitationEmail, member.email))
    return InvitationStatus.INVALID;
  switch (member.status) {
    case MemberStatus.INVITED:
      return member.invitationExpiresAt && member.invitationExpiresAt > now
        ? InvitationStatus.VALID
        : InvitationStatus.EXPIRED;
    case MemberStatus.ACCEPTED:
    case MemberStatus.CONFIRMED:
      return InvitationStatus.USED;
    case MemberStatus.REVOKED:
      return InvitationStatus.REVOKED;
    default:
      return InvitationStatus.INVALID;
  }
}

/**
 * An address as a page may show it to whoever holds a link: the first character of the mailbox and the domain
 * (`a***@corp.example`), enough to recognise one's own address without handing it to a stranger.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
