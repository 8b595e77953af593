import { MemberStatus } from './enums';

/** What an invitation link can be worth when someone opens it (POST /auth/invitation `status`). */
export enum InvitationStatus {
  VALID = 'VALID',
  EXPIRED = 'EXPIRED',
  USED = 'USED',
  REVOKED = 'REVOKED',
  INVALID = 'INVALID',
}

/**
 * The state of the member a token points at. An accepted member keeps the hash of the token it used, so a
 * second click on the link says "already used" rather than "invalid"; a reinvitation replaces the hash.
 */
export function invitationStatus(
  member: { status: MemberStatus; invitationExpiresAt: Date | null } | null,
  now = new Date(),
): InvitationStatus {
  if (!member) return InvitationStatus.INVALID;
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
