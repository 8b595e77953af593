import { DomainError, ErrorCode, UNAVAILABLE_MESSAGE } from '../domain/errors';
import { SignInMethod } from '../domain/session-rules';
import { normalizeEmail } from '../domain/member-rules';
import { SignInLinkRepository } from '../repositories/sign-in-link.repository';
import { flush } from '../repositories/unit-of-work';
import { UserRepository } from '../repositories/user.repository';
import { EMAIL_LINKS_OUTSTANDING_MAX, issueSignInLink } from './email-link';
import { hashSecret } from './secrets';
import { BackgroundQueue } from './background-queue';
import { BaseService, type ServiceDeps } from './base';
import { PeriodicPurge, purgeInBatches } from './periodic-purge';
import { type InvitationView, invitationView } from './views/organization.view';
import { type MemberService } from './member.service';
import { type OpenedSession, type SessionService } from './session.service';
import { type TokenService } from './token.service';

/** Link requests waiting for the database at most; beyond, requests are refused with 503 (see requestEmailLink). */
export const EMAIL_LINK_QUEUE_MAX = 100;
/** How long a used or expired sign-in link is kept before it is purged (only to look into a failed sign-in). */
export const SIGN_IN_LINK_PURGE_GRACE_MS = 24 * 3600_000;

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
  private readonly linkRequests: BackgroundQueue;
  private readonly purging: PeriodicPurge;

  constructor(
    deps: ServiceDeps,
    private readonly services: { tokens: TokenService; sessions: SessionService; members: MemberService },
    options: { emailLinkQueueMax?: number } = {},
  ) {
    super(deps);
    // Failures are logged at error level (the caller was answered already): a database outage shows in the logs,
    // and in 503s once the queue is full.
    this.linkRequests = new BackgroundQueue(options.emailLinkQueueMax ?? EMAIL_LINK_QUEUE_MAX, (err) =>
      this.deps.logger.error({ err }, 'sending an e-mail sign-in link failed'),
    );
    this.purging = new PeriodicPurge(
      () => this.purgeDeadLinks(),
      (err) => this.deps.logger.error({ err }, 'purging dead sign-in links failed'),
    );
  }

  /**
   * An access token (made by `orgctl token create` or `accessTokenCreate`) pasted into the console. The session is
   * the token's child: revoked with it, ending no later than it.
   */
  async withAccessToken(token: string, userAgent: string | undefined, requestId?: string): Promise<SignedIn> {
    const invalid = () => new SignInError('INVALID_TOKEN', 'The access token is invalid, expired or revoked.');
    const principal = await this.services.tokens.verifyToken(token);
    if (!principal) throw invalid();
    const user = { id: principal.userId, email: principal.email };
    const opened = await this.services.sessions.openWithAccessToken(
      user,
      { tokenId: principal.tokenId },
      userAgent,
      requestId,
    );
    if (!opened) throw invalid();
    return { ...opened, user };
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
   * Sends a one-time sign-in link to an existing account's address. The caller answers the same whatever happens
   * here (no account enumeration): unknown addresses and accounts with enough links pending get no mail.
   *
   * The same answer must also come in the same time. Looking the address up and writing a link and its e-mail for a
   * real account takes measurably longer than finding nobody, so the work is queued and done after the answer: this
   * method only checks the input and returns. Doing "the same work" for unknown addresses could not be made to match
   * (a capped account, a slow commit, the outbox write), answering first can. The queue is bounded: when it is full
   * (the database is slow or away) the request is refused with UNAVAILABLE, which says nothing about the address.
   * One job at a time, so the cap of pending links holds within an instance.
   */
  requestEmailLink(email: string): void {
    const normalized = normalizeEmail(email);
    const queued = this.linkRequests.push(() => this.sendEmailLink(normalized));
    if (!queued) throw new DomainError(ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE, undefined, { retryAfterSeconds: 5 });
  }

  /** Resolves once the link requests queued so far are done (shutdown; tests). */
  emailLinksSettled(): Promise<void> {
    return this.linkRequests.settled();
  }

  /** Link requests waiting or running, and those that failed since start (for monitoring). */
  emailLinkQueue(): { size: number; failed: number } {
    return { size: this.linkRequests.size, failed: this.linkRequests.failed };
  }

  private async sendEmailLink(normalized: string): Promise<void> {
    await this.write(async (tx) => {
      const user = await new UserRepository(tx).findByEmail(normalized);
      if (!user) return;
      const now = new Date();
      if ((await new SignInLinkRepository(tx).countOutstanding(user.id, now)) >= EMAIL_LINKS_OUTSTANDING_MAX) return;
      issueSignInLink(tx, this.deps.config.PUBLIC_URL, user, now);
      await flush(tx);
    });
  }

  /**
   * Deletes links used or expired longer than the grace period ago (they can never sign anyone in), in short
   * batches; returns how many. Safe to run on several instances at once.
   */
  async purgeDeadLinks(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - SIGN_IN_LINK_PURGE_GRACE_MS);
    const repository = new SignInLinkRepository(this.em());
    return purgeInBatches((limit) => repository.purgeDead(before, limit));
  }

  /** Runs purgeDeadLinks periodically until stopPurging(); main.ts starts it, tests call purgeDeadLinks directly. */
  startPurging(intervalMs?: number): void {
    this.purging.start(intervalMs);
  }

  stopPurging(): Promise<void> {
    return this.purging.stop();
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
