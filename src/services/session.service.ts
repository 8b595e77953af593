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
import { BaseService } from './base';
import { generateSecret, hashSecret, sameHash } from './secrets';

/** The longest secret worth hashing: ours are 50 characters; anything far longer is not one of them. */
const SECRET_MAX = 200;

export interface OpenedSession {
  /** The cookie's value, shown once: only its hash is stored. */
  secret: string;
  session: SessionView;
}

/** Browser sessions: opened by a sign-in, checked on each request, revoked by sign-out or from the session list. */
export class SessionService extends BaseService {
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
