import { type Actor } from '../domain/actor';
import { notFound } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { SESSION_TOUCH_MS, type SignInMethod, cleanUserAgent, isSessionLive } from '../domain/session-rules';
import { type User } from '../entities';
import {
  type AuthenticatedSessionView,
  type SessionView,
  authenticatedSessionView,
  sessionView,
} from './views/session.view';
import { SessionRepository } from '../repositories/session.repository';
import { type Transaction, flush } from '../repositories/unit-of-work';
import { UserRepository } from '../repositories/user.repository';
import { recordAccountEvent } from './account-events';
import { BaseService, type ServiceDeps } from './base';
import { PeriodicPurge, purgeInBatches } from './periodic-purge';
import { generateSecret, hashSecret, sameHash } from './secrets';

/**
 * How long a dead session (revoked or expired) is kept before it is purged. The account's session list shows only
 * live sessions, and account events name a session by id without depending on its row; the grace keeps
 * sessionRevoke answering for a session that died while a console page listed it, and leaves a day to look into a
 * sign-out someone reports.
 */
export const SESSION_PURGE_GRACE_MS = 24 * 3600_000;

/** The longest secret worth hashing: ours are 50 characters; anything far longer is not one of them. */
const SECRET_MAX = 200;

export interface OpenedSession {
  /** The cookie's value, shown once: only its hash is stored. */
  secret: string;
  session: SessionView;
}

/** Browser sessions: opened by a sign-in, checked on each request, revoked by sign-out or from the session list. */
export class SessionService extends BaseService {
  private readonly purging: PeriodicPurge;

  constructor(deps: ServiceDeps) {
    super(deps);
    this.purging = new PeriodicPurge(
      () => this.purgeDead(),
      (err) => this.deps.logger.error({ err }, 'purging dead sessions failed'),
    );
  }

  /**
   * Deletes sessions dead for longer than the grace period (their hashes and user agents serve nobody), in short
   * batches; returns how many. Safe to run on several instances at once.
   */
  async purgeDead(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - SESSION_PURGE_GRACE_MS);
    const repository = new SessionRepository(this.em());
    return purgeInBatches((limit) => repository.purgeDead(before, limit));
  }

  /** Runs purgeDead periodically until stopPurging(); main.ts starts it, tests call purgeDead directly. */
  startPurging(intervalMs?: number): void {
    this.purging.start(intervalMs);
  }

  stopPurging(): Promise<void> {
    return this.purging.stop();
  }

  /** Opens a session for `user` inside the caller's transaction (the sign-in that proved who it is). */
  async openIn(
    tx: Transaction,
    user: User,
    method: SignInMethod,
    userAgent: string | undefined,
    requestId?: string,
  ): Promise<OpenedSession> {
    const secret = generateSecret('orgds');
    const session = new SessionRepository(tx).create({
      user,
      hash: hashSecret(secret),
      method,
      userAgent: cleanUserAgent(userAgent),
    });
    recordAccountEvent(tx, user.id, 'account.signed_in', { method, sessionId: session.id }, requestId);
    await flush(tx);
    return { secret, session: sessionView(session) };
  }

  async open(
    user: { readonly id: string },
    method: SignInMethod,
    userAgent: string | undefined,
    requestId?: string,
  ): Promise<OpenedSession> {
    return this.write((tx) => this.openIn(tx, new UserRepository(tx).reference(user.id), method, userAgent, requestId));
  }

  /** The live session behind a cookie's secret, or null (unknown, revoked, idle too long or too old). */
  async authenticate(secret: string): Promise<AuthenticatedSessionView | null> {
    if (!secret || secret.length > SECRET_MAX) return null;
    const hash = hashSecret(secret);
    return this.read(async (em) => {
      const repository = new SessionRepository(em);
      const session = await repository.findByHash(hash);
      const now = new Date();
      if (!session || !sameHash(session.hash, hash) || !isSessionLive(session, now)) return null;
      if (now.getTime() - session.lastSeenAt.getTime() > SESSION_TOUCH_MS) {
        await repository.touch(session.id, now);
        session.lastSeenAt = now;
      }
      return authenticatedSessionView(session);
    });
  }

  /** Sign-out: the session behind the cookie stops working at once. Unknown secrets are ignored (already signed out). */
  async revokeBySecret(secret: string): Promise<void> {
    if (!secret || secret.length > SECRET_MAX) return;
    await this.write(async (tx) => {
      await new SessionRepository(tx).revokeByHash(hashSecret(secret), new Date());
    });
  }

  /** Revokes the session behind a cookie's secret inside the caller's transaction (a sign-in that replaces it). */
  async revokeBySecretIn(tx: Transaction, secret: string): Promise<void> {
    if (!secret || secret.length > SECRET_MAX) return;
    await new SessionRepository(tx).revokeByHash(hashSecret(secret), new Date());
  }

  /** The signed-in account's live sessions (GraphQL `Viewer.sessions`). */
  async list(actor: Actor): Promise<SessionView[]> {
    if (actor.kind !== 'USER') return [];
    return this.read(async (em) => (await new SessionRepository(em).listLive(actor.userId)).map(sessionView));
  }

  /** Revokes one of the caller's own sessions; someone else's is "not found", like a missing one. */
  async revoke(actor: Actor, sessionId: string): Promise<SessionView> {
    return this.write(async (tx) => {
      const session =
        actor.kind === 'USER' && isUuid(sessionId)
          ? await new SessionRepository(tx).findOwn(actor.userId, sessionId)
          : null;
      if (!session) throw notFound('session');
      session.revokedAt ??= new Date();
      return sessionView(session);
    });
  }
}
