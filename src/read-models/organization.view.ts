import { type MemberRole, type MemberStatus } from '../domain/enums';
import { type Member, type Organization, type User } from '../entities';

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

/** An invitation (the invited member) as its invitee sees it, with the inviting organization's name. */
export interface InvitationView {
  readonly memberId: string;
  readonly organizationId: string;
  readonly organizationName: string;
  readonly email: string;
  readonly role: MemberRole;
  readonly status: MemberStatus;
  readonly expiresAt: Date | null;
}

/** `member` with its organization loaded. */
export function invitationView(member: Member): InvitationView {
  return {
    memberId: member.id,
    organizationId: member.organization.id,
    organizationName: member.organization.name,
    email: member.email,
    role: member.role,
    status: member.status,
    expiresAt: member.invitationExpiresAt,
  };
}

/**
 * A membership of the viewer's own account that does not yet give rights (invited, or accepted and waiting for an
 * administrator to confirm it): the organization's name and the status, nothing else of the organization.
 */
export interface PendingMembershipView {
  readonly organizationName: string;
  readonly status: MemberStatus;
}
