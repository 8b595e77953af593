import { type Actor } from '../../domain/actor';
import { MemberStatus } from '../../domain/enums';
import { DomainError, ErrorCode } from '../../domain/errors';
import { InvitationStatus, invitationStatus, maskEmail, sameAddress } from '../../domain/invitation-rules';
import { normalizeEmail } from '../../domain/member-rules';
import { InvitationNeedsSignIn, InvitationUnusable } from '../../domain/sign-in-errors';
import { type Member, type User } from '../../entities';
import { type InvitationView, invitationView } from '../../read-models/organization.view';
import { InvitationRepository } from '../../repositories/invitation.repository';
import { type Transaction, flush } from '../../repositories/unit-of-work';
import { UserRepository } from '../../repositories/user.repository';
import { recordAudit } from '../audit';
import { hashSecret } from '../secrets';

export interface InvitationPreview {
  status: InvitationStatus;
  /** The invitation the token points at, or null for an unknown token. */
  member: InvitationView | null;
  invitedBy: string | null;
  /** Whether the invited address already has an account (then the invitee signs in first; see acceptAsInviteeIn). */
  accountExists: boolean;
}

/** The account that signed the request in, when one did (a browser session). */
export interface SignedInAccount {
  userId: string;
  email: string;
}

/** What an invitation link is worth, without using it. */
export async function previewInvitation(em: Transaction, token: string): Promise<InvitationPreview> {
  const repository = new InvitationRepository(em);
  const member = token.length <= 200 ? await repository.findByTokenHash(hashSecret(token)) : null;
  const status = invitationStatus(member);
  if (!member) return { status, member: null, invitedBy: null, accountExists: false };
  const accountExists =
    status === InvitationStatus.VALID && (await new UserRepository(em).findByEmail(member.email)) !== null;
  return {
    status,
    member: invitationView(member),
    invitedBy: describeInviter(await repository.invitedBy(member.id)),
    accountExists,
  };
}

/** The signed-in user's acceptance with the token from its e-mail; the accepting account's email must match. */
export async function acceptAsUserIn(
  tx: Transaction,
  actor: Extract<Actor, { kind: 'USER' }>,
  token: string,
): Promise<Member> {
  const member = await new InvitationRepository(tx).findByTokenHash(hashSecret(token), true);
  if (invitationStatus(member) !== InvitationStatus.VALID) {
    throw new DomainError(ErrorCode.INVALID_TOKEN, 'the invitation is invalid or has expired', 'token');
  }
  if (member!.email.toLowerCase() !== actor.email.toLowerCase()) {
    throw new DomainError(ErrorCode.EMAIL_MISMATCH, 'the invitation was sent to another email address', 'token');
  }
  return acceptIn(tx, actor, member!);
}

/** The browser's invitation page accepts a link; see MemberLifecycleService.acceptAsInviteeIn for who may. */
export async function acceptAsInviteeIn(
  tx: Transaction,
  token: string,
  signedIn: SignedInAccount | null,
  requestId?: string,
): Promise<{ member: Member; user: User; newAccount: boolean }> {
  const member =
    token.length <= 200 ? await new InvitationRepository(tx).findByTokenHash(hashSecret(token), true) : null;
  const status = invitationStatus(member);
  if (status !== InvitationStatus.VALID) throw new InvitationUnusable(status);
  const users = new UserRepository(tx);
  const address = normalizeEmail(member!.email);
  let user: User | null;
  if (signedIn) {
    if (!sameAddress(signedIn.email, address)) {
      throw new DomainError(
        ErrorCode.EMAIL_MISMATCH,
        `You are signed in as ${signedIn.email}; this invitation is for ${maskEmail(address)}. Sign out and open the link again.`,
        'token',
      );
    }
    user = await users.findById(signedIn.userId);
    if (!user) throw new InvitationNeedsSignIn(maskEmail(address));
  } else {
    if (await users.findByEmail(address)) throw new InvitationNeedsSignIn(maskEmail(address));
    user = users.create(address, member!.displayName ?? member!.formattedName ?? null);
    await flush(tx);
  }
  acceptIn(tx, { kind: 'USER', userId: user.id, email: user.email, requestId }, member!);
  return { member: member!, user, newAccount: !signedIn };
}

function acceptIn(tx: Transaction, actor: Extract<Actor, { kind: 'USER' }>, member: Member): Member {
  member.status = MemberStatus.ACCEPTED;
  member.user = new UserRepository(tx).reference(actor.userId);
  // The token's hash stays: opening the link again says "already used" (a reinvitation replaces it).
  member.invitationExpiresAt = null;
  recordAudit(tx, actor, member.organization.id, 'member.accepted', { type: 'member', id: member.id }, null, member.id);
  return member;
}

/** How the invitation page names the sender of the latest invitation. */
function describeInviter(
  inviter: { actorKind: string; name: string | null; email: string | null } | null,
): string | null {
  if (!inviter) return null;
  if (inviter.actorKind === 'USER') return inviter.name ?? inviter.email;
  if (inviter.actorKind === 'SCIM') return 'your identity provider (SCIM provisioning)';
  return 'an administrator';
}
