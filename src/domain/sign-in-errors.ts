import { InvitationStatus } from './invitation-rules';

/**
 * Why a browser sign-in failed, beside the shared ErrorCode vocabulary: only the sign-in transport (/auth) ever
 * meets these, so they stay out of the GraphQL and SCIM contracts. The /auth transport renders each with one
 * exhaustive switch, as it does every ErrorCode.
 */
export enum SignInCode {
  /** The e-mail sign-in link is unknown, expired or used. */
  INVALID_LINK = 'INVALID_LINK',
  /** The invitation is for an address with an account, and that account has not signed in. */
  SIGN_IN_REQUIRED = 'SIGN_IN_REQUIRED',
  INVITATION_INVALID = 'INVITATION_INVALID',
  INVITATION_EXPIRED = 'INVITATION_EXPIRED',
  INVITATION_USED = 'INVITATION_USED',
  INVITATION_REVOKED = 'INVITATION_REVOKED',
  OIDC_NOT_CONFIGURED = 'OIDC_NOT_CONFIGURED',
  /** The identity provider could not be reached, or its metadata lacks an endpoint. */
  OIDC_UNAVAILABLE = 'OIDC_UNAVAILABLE',
  /** The callback does not belong to the flow this browser started. */
  OIDC_STATE_MISMATCH = 'OIDC_STATE_MISMATCH',
  OIDC_DENIED = 'OIDC_DENIED',
  OIDC_FAILED = 'OIDC_FAILED',
  /** The provider signed the person in, but orgd may not (no account, or one it may not link). */
  OIDC_FORBIDDEN = 'OIDC_FORBIDDEN',
}

/** A sign-in refused for a reason the person may be told; the transport decides how it is answered. */
export class SignInFailure extends Error {
  constructor(
    readonly code: SignInCode,
    message: string,
  ) {
    super(message);
    this.name = 'SignInFailure';
  }
}

/** An invitation status that stops an invitation being accepted. */
export type UnusableInvitationStatus = Exclude<InvitationStatus, InvitationStatus.VALID>;

const INVITATION_CODES: Record<UnusableInvitationStatus, SignInCode> = {
  [InvitationStatus.INVALID]: SignInCode.INVITATION_INVALID,
  [InvitationStatus.EXPIRED]: SignInCode.INVITATION_EXPIRED,
  [InvitationStatus.USED]: SignInCode.INVITATION_USED,
  [InvitationStatus.REVOKED]: SignInCode.INVITATION_REVOKED,
};

const INVITATION_MESSAGES: Record<UnusableInvitationStatus, string> = {
  [InvitationStatus.EXPIRED]:
    'This invitation has expired; ask an administrator of the organization to invite you again.',
  [InvitationStatus.USED]: 'This invitation has already been accepted.',
  [InvitationStatus.REVOKED]: 'Your access to this organization has been revoked.',
  [InvitationStatus.INVALID]: 'This invitation link is not valid; check that it was copied completely.',
};

/** An invitation that cannot be accepted, with the reason the invitee is shown. */
export class InvitationUnusable extends SignInFailure {
  constructor(readonly reason: UnusableInvitationStatus) {
    super(INVITATION_CODES[reason], INVITATION_MESSAGES[reason]);
  }
}

/**
 * An invitation to an address that already has an account, accepted without that account's session: holding the
 * token shows access to a mailbox at some point, not ownership of the account, so the account signs in first.
 */
export class InvitationNeedsSignIn extends SignInFailure {
  constructor(readonly maskedEmail: string) {
    super(
      SignInCode.SIGN_IN_REQUIRED,
      `${maskedEmail} already has an account: sign in as ${maskedEmail}, then accept the invitation.`,
    );
  }
}
