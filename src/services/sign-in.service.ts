import { SignInMethod } from '../domain/session-rules';
import { normalizeEmail } from '../domain/member-rules';
import { SignInLinkRepository } from '../repositories/sign-in-link.repository';
import { flush } from '../repositories/unit-of-work';
import { UserRepository } from '../repositories/user.repository';
import { EMAIL_LINKS_OUTSTANDING_MAX, issueSignInLink } from './email-link';
import { hashSecret } from './secrets';
import { BaseService, type ServiceDeps } from './base';
import { type InvitationView, invitationView } from './views/organization.view';
import { type MemberService } from './member.service';
import { type OpenedSession, type SessionService } from './session.service';
import { type TokenService } from './token.service';

/** A sign-in that failed for a reason the caller may be told (the code is part of the HTTP contract). */
export class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 401,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

export interface SignedIn extends OpenedSession {
  user: { id: string; email: string };
}

/** The browser sign-in methods: each proves who the caller is, then opens a session for that account. */
export class SignInService extends BaseService {
  constructor(
    deps: ServiceDeps,
    private readonly services: { tokens: TokenService; sessions: SessionService; members: MemberService },
  ) {
    super(deps);
  }

  /** An access token (made by `orgctl token create` or `accessTokenCreate`) pasted into the console. */
  async withAccessToken(token: string, userAgent: string | undefined, requestId?: string): Promise<SignedIn> {
    const user = await this.services.tokens.verify(token);
    if (!user) throw new SignInError('INVALID_TOKEN', 'The access token is invalid, expired or revoked.');
    const opened = await this.services.sessions.open(user, SignInMethod.ACCESS_TOKEN, userAgent, requestId);
    return { ...opened, user: { id: user.id, email: user.email } };
  }

  /**
   * Accepts an invitation for whoever holds its token and signs that account in: one transaction, so an
   * accepted invitation always comes with its session and a failed one changes nothing.
   */
  async withInvitation(
    token: string,
    userAgent: string | undefined,
    requestId?: string,
  ): Promise<SignedIn & { member: InvitationView }> {
    const signedIn = await this.write(async (tx) => {
      const { member, user } = await this.services.members.acceptAsInviteeIn(tx, token, requestId);
      const opened = await this.services.sessions.openIn(tx, user, SignInMethod.INVITATION, userAgent, requestId);
      return { ...opened, member, user: { id: user.id, email: user.email } };
    });
    return { ...signedIn, member: invitationView(signedIn.member) };
  }

  /**
   * Sends a one-time sign-in link to an existing account's address. The caller answers the same whatever
   * happens here (no account enumeration): unknown addresses and accounts with enough links pending get no mail.
   */
  async requestEmailLink(email: string): Promise<void> {
    const normalized = normalizeEmail(email);
    await this.write(async (tx) => {
      const user = await new UserRepository(tx).findByEmail(normalized);
      if (!user) return;
      const now = new Date();
      if ((await new SignInLinkRepository(tx).countOutstanding(user.id, now)) >= EMAIL_LINKS_OUTSTANDING_MAX) return;
      issueSignInLink(tx, this.deps.config.PUBLIC_URL, user, now);
      await flush(tx);
    });
  }

  /** The link from the e-mail: used up at once, then a session for its account. */
  async withEmailLink(token: string, userAgent: string | undefined, requestId?: string): Promise<SignedIn> {
    return this.write(async (tx) => {
      const userId =
        token.length <= 200 ? await new SignInLinkRepository(tx).consume(hashSecret(token), new Date()) : null;
      const user = userId ? await new UserRepository(tx).findById(userId) : null;
      if (!user)
        throw new SignInError(
          'INVALID_LINK',
          'The sign-in link is invalid, expired or already used; ask for a new one.',
        );
      const opened = await this.services.sessions.openIn(tx, user, SignInMethod.EMAIL_LINK, userAgent, requestId);
      return { ...opened, user: { id: user.id, email: user.email } };
    });
  }
}
