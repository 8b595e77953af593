import { type MemberRole } from '../../domain/enums';
import { type Member, type Organization, type User } from '../../entities';

export interface OrganizationView {
  readonly id: string;
  readonly name: string;
  readonly seatLimit: number | null;
  readonly createdAt: Date;
}

export function organizationView(o: Organization): OrganizationView {
  return { id: o.id, name: o.name, seatLimit: o.seatLimit, createdAt: o.createdAt };
}

/** An account (never its OIDC binding). */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
}

export function userView(u: User): UserView {
  return { id: u.id, email: u.email, name: u.name };
}

/** An invitation waiting for the signed-in account, with the inviting organization's name. */
export interface PendingInvitationView {
  readonly memberId: string;
  readonly organizationId: string;
  readonly organizationName: string;
  readonly email: string;
  readonly role: MemberRole;
  readonly expiresAt: Date | null;
}

/** `member` with its organization loaded. */
export function pendingInvitationView(member: Member): PendingInvitationView {
  return {
    memberId: member.id,
    organizationId: member.organization.id,
    organizationName: member.organization.name,
    email: member.email,
    role: member.role,
    expiresAt: member.invitationExpiresAt,
  };
}
