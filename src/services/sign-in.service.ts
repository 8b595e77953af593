import { DomainError, ErrorCode, UNAVAILABLE_MESSAGE } from '../domain/errors';
import { SignInCode, SignInFailure } from '../domain/sign-in-errors';
import { SignInMethod } from '../domain/session-rules';
import { normalizeEmail } from '../domain/member-rules';
import { safeReturnTo } from '../domain/return-to';
import { SignInLinkRepository } from '../repositories/sign-in-link.repository';
import { flush } from '../repositories/unit-of-work';
import { UserRepository } from '../repositories/user.repository';
import { EMAIL_LINKS_OUTSTANDING_MAX, issueSignInLink } from './email-link';
import { hashSecret } from './secrets';
import { BackgroundQueue } from './background-queue';
import { BaseService, type ServiceDeps } from './base';
import { PeriodicPurge, purgeInBatches } from './periodic-purge';
import { type InvitationView, invitationView } from '../read-models/organization.view';
import { maskEmail } from '../domain/invitation-rules';
import { type MemberLifecycleService } from './member-lifecycle.service';
import { type SignedInAccount } from './members/invitation-acceptance';
import { type OpenedSession, type SessionService } from './session.service';
import { type TokenService } from './token.service';

/** Link requests waiting for the database at most; beyond, requests are refused with 503 (see requestEmailLink). */
export const EMAIL_LINK_QUEUE_MAX = 100;
/** How long a used or expired sign-in link is kept before it is purged (only to look into a failed sign-in). */
export const SIGN_IN_LINK_PURGE_GRACE_MS = 24 * 3600_000;

export interface SignedIn extends OpenedSession {
  user: { id: string; email: string };
}

/** An accepted invitation: with a new session when it created the account, none when a session signed it in. */
export interface InvitationAccepted {
  member: InvitationView;
  user: { id: string; email: string };
  /** The new session's cookie and row; null when the browser's own session accepted (it stays). */
  opened: OpenedSession | null;
}

const INVALID_LINK_MESSAGE = 'The sign-in link is invalid, expired or already used; ask for a new one.';

/** The browser sign-in methods: each proves who the caller is, then opens a session for that account. */
export class SignInService extends BaseService {
  private readonly linkRequests: BackgroundQueue;
  private readonly purging: PeriodicPurge;

  constructor(
    deps: ServiceDeps,
    private readonly services: {
      tokens: TokenService;
      sessions: SessionService;
      memberLifecycle: MemberLifecycleService;
    },
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
  /** `replacedSecret`: the session the browser had, whoever's it was; revoked with the new one's opening. */
  async withAccessToken(
    token: string,
    userAgent: string | undefined,
    requestId?: string,
    replacedSecret?: string,
  ): Promise<SignedIn> {
    const invalid = () => new DomainError(ErrorCode.INVALID_TOKEN, 'The access token is invalid, expired or revoked.');
    const principal = await this.services.tokens.verifyToken(token);
    if (!principal) throw invalid();
    const user = { id: principal.userId, email: principal.email };
    const opened = await this.services.sessions.openWithAccessToken(
      user,
      { tokenId: principal.tokenId },
      userAgent,
      requestId,
      replacedSecret,
    );
    if (!opened) throw invalid();
    return { ...opened, user };
  }

  /** The account a browser's session cookie signs in, or null (no cookie, or a dead session). */
  async signedInAccount(sessionSecret: string | undefined): Promise<SignedInAccount | null> {
    const session = sessionSecret ? await this.services.sessions.authenticate(sessionSecret) : null;
    return session ? { userId: session.user.id, email: session.user.email } : null;
  }

  /**
   * Accepts an invitation (see MemberLifecycleService.acceptAsInviteeIn for who may): one transaction, so an accepted
   * invitation that created its account always comes with its session, and a refused one changes nothing. With the
   * browser's own session (`sessionSecret`) of the invited account, that session accepts and stays; no new one.
   */
  async withInvitation(
    token: string,
    userAgent: string | undefined,
    requestId?: string,
    sessionSecret?: string,
  ): Promise<InvitationAccepted> {
    const current = await this.signedInAccount(sessionSecret);
    const accepted = await this.write(async (tx) => {
      const { member, user, newAccount } = await this.services.memberLifecycle.acceptAsInviteeIn(
        tx,
        token,
        current,
        requestId,
      );
      const opened = newAccount
        ? await this.services.sessions.openIn(tx, user, SignInMethod.INVITATION, userAgent, requestId)
        : null;
      return { member, user: { id: user.id, email: user.email }, opened };
    });
    return { ...accepted, member: invitationView(accepted.member) };
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
  requestEmailLink(email: string, returnTo?: unknown): void {
    const normalized = normalizeEmail(email);
    const back = safeReturnTo(returnTo);
    const queued = this.linkRequests.push(() => this.sendEmailLink(normalized, back));
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

  private async sendEmailLink(normalized: string, returnTo: string): Promise<void> {
    await this.write(async (tx) => {
      const user = await new UserRepository(tx).findByEmail(normalized);
      if (!user) return;
      const now = new Date();
      if ((await new SignInLinkRepository(tx).countOutstanding(user.id, now)) >= EMAIL_LINKS_OUTSTANDING_MAX) return;
      issueSignInLink(tx, this.deps.config.PUBLIC_URL, user, now, returnTo);
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

  /**
   * What a link from the e-mail would sign into, without using it: the account's address, masked (whoever holds
   * the link sees whose it is, not the whole address), the account the browser is signed in as now, if any, and
   * whether that is the link's account.
   */
  async emailLinkPreview(
    token: string,
    sessionSecret?: string,
  ): Promise<{ email: string; signedInAs: string | null; sameAccount: boolean }> {
    const user = await this.read(async (em) => {
      const userId =
        token.length <= 200 ? await new SignInLinkRepository(em).usable(hashSecret(token), new Date()) : null;
      return userId ? await new UserRepository(em).findById(userId) : null;
    });
    if (!user) throw new SignInFailure(SignInCode.INVALID_LINK, INVALID_LINK_MESSAGE);
    const current = await this.signedInAccount(sessionSecret);
    return {
      email: maskEmail(user.email),
      signedInAs: current?.email ?? null,
      sameAccount: current?.userId === user.id,
    };
  }

  /**
   * The link from the e-mail: used up at once, then a session for its account. The session the browser had
   * (`replacedSecret`), whoever's it was, is revoked in the same transaction: a cookie replaced is a session ended,
   * never one left alive without its browser knowing.
   */
  async withEmailLink(
    token: string,
    userAgent: string | undefined,
    requestId?: string,
    replacedSecret?: string,
  ): Promise<SignedIn> {
    return this.write(async (tx) => {
      const userId =
        token.length <= 200 ? await new SignInLinkRepository(tx).consume(hashSecret(token), new Date()) : null;
      const user = userId ? await new UserRepository(tx).findById(userId) : null;
      if (!user) throw new SignInFailure(SignInCode.INVALID_LINK, INVALID_LINK_MESSAGE);
      if (replacedSecret) await this.services.sessions.revokeBySecretIn(tx, replacedSecret);
      const opened = await this.services.sessions.openIn(tx, user, SignInMethod.EMAIL_LINK, userAgent, requestId);
      return { ...opened, user: { id: user.id, email: user.email } };
    });
  }
}
