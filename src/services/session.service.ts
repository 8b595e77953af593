import { type Actor, systemActor } from '../domain/actor';
import { cappedExpiry, signInOrigin } from '../domain/credential-lineage';
import { DomainError, ErrorCode, notFound } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { SESSION_TOUCH_MS, SignInMethod, cleanUserAgent, isSessionLive } from '../domain/session-rules';
import { type Session, type User } from '../entities';
import {
  type AccountSessionView,
  type AuthenticatedSessionView,
  type SessionView,
  authenticatedSessionView,
  sessionView,
} from '../read-models/session.view';
import { type Page, type PageRequest } from '../repositories/pagination';
import { ApiKeyRepository } from '../repositories/api-key.repository';
import { SessionRepository } from '../repositories/session.repository';
import { type Transaction, flush } from '../repositories/unit-of-work';
import { UserRepository } from '../repositories/user.repository';
import { recordAccountEvent } from './account-events';
import { BaseService, type ServiceDeps } from './base';
import { type CredentialCache } from './credential-cache';
import { createdByOf, revokeWithDescendants } from './credential-lineage';
import { mapPage } from './page';
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

/** The access token a session is opened with: it becomes the session's parent, and its expiry the session's cap. */
export interface ParentToken {
  tokenId: string;
}

export interface OpenedSession {
  /** The cookie's value, shown once: only its hash is stored. */
  secret: string;
  session: SessionView;
}

/** Browser sessions: opened by a sign-in, checked on each request, revoked by sign-out or from the session list. */
export class SessionService extends BaseService {
  private readonly purging: PeriodicPurge;

  constructor(
    deps: ServiceDeps,
    private readonly cache: CredentialCache,
  ) {
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

  /**
   * Opens a session for `user` inside the caller's transaction (the sign-in that proved who it is). With `parent`
   * (a sign-in with an access token) the session is that token's child: revoked with it, ending no later than it
   * (ParentTokenGone when the token was revoked or expired meanwhile). The account keeps at most SESSIONS_PER_ACCOUNT live
   * sessions: the oldest are revoked (with what they created) to make room.
   */
  async openIn(
    tx: Transaction,
    user: User,
    method: SignInMethod,
    userAgent: string | undefined,
    requestId?: string,
    parent?: ParentToken,
  ): Promise<OpenedSession> {
    await new UserRepository(tx).lock(user.id);
    const now = new Date();
    let expiresAt: Date | null = null;
    if (parent) {
      const token = await new ApiKeyRepository(tx).lockLiveAccessToken(parent.tokenId, user.id, now);
      if (!token) throw new ParentTokenGone();
      expiresAt = cappedExpiry(null, token.expiresAt);
    }
    await this.makeRoomIn(tx, user.id, requestId, now);
    const secret = generateSecret('orgds');
    const session = new SessionRepository(tx).create({
      user,
      hash: hashSecret(secret),
      method,
      userAgent: cleanUserAgent(userAgent),
      parentTokenId: parent?.tokenId ?? null,
      expiresAt,
    });
    recordAccountEvent(tx, user.id, 'account.signed_in', { method, sessionId: session.id }, requestId);
    await flush(tx);
    return { secret, session: sessionView(session) };
  }

  /**
   * Revokes the account's oldest live sessions so that one more fits under SESSIONS_PER_ACCOUNT (the caller holds
   * the account's row lock, so concurrent sign-ins count one after the other).
   */
  private async makeRoomIn(tx: Transaction, userId: string, requestId: string | undefined, now: Date): Promise<void> {
    const live = await new SessionRepository(tx).liveIdsOldestFirst(userId, now);
    const excess = live.length - this.deps.config.SESSIONS_PER_ACCOUNT + 1;
    if (excess <= 0) return;
    const oldest = live.slice(0, excess);
    const revokedTokens = await revokeWithDescendants(tx, { ...systemActor(), requestId }, { sessionIds: oldest }, now);
    recordAccountEvent(
      tx,
      userId,
      'account.sessions_revoked',
      { sessionIds: oldest, reason: 'session_limit' },
      requestId,
    );
    // Inside the caller's transaction, so dropped now rather than after its commit: a lookup that reads the
    // token before the commit cannot keep it long, since the commit's notification drops it again (PostgreSQL),
    // and PGlite runs that lookup only after the commit (one connection).
    this.dropFromCache(revokedTokens);
  }

  private dropFromCache(tokenIds: string[]): void {
    for (const tokenId of tokenIds) this.cache.invalidate({ kind: 'token', tokenId });
  }

  /** A session opened by pasting an access token (`POST /auth/token`): a child of that token. Null: the token died. */
  async openWithAccessToken(
    user: { readonly id: string },
    parent: ParentToken,
    userAgent: string | undefined,
    requestId?: string,
    replacedSecret?: string,
  ): Promise<OpenedSession | null> {
    try {
      return await this.write(async (tx) => {
        // First: when the pasted token was made in the session it replaces, it ends with it (and so does this sign-in).
        if (replacedSecret) await this.revokeBySecretIn(tx, replacedSecret);
        return this.openIn(
          tx,
          new UserRepository(tx).reference(user.id),
          SignInMethod.ACCESS_TOKEN,
          userAgent,
          requestId,
          parent,
        );
      });
    } catch (err) {
      if (err instanceof ParentTokenGone) return null;
      throw err;
    }
  }

  async open(
    user: { readonly id: string },
    method: SignInMethod,
    userAgent: string | undefined,
    requestId?: string,
    replacedSecret?: string,
  ): Promise<OpenedSession> {
    return this.write(async (tx) => {
      if (replacedSecret) await this.revokeBySecretIn(tx, replacedSecret);
      return this.openIn(tx, new UserRepository(tx).reference(user.id), method, userAgent, requestId);
    });
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

  /**
   * Sign-out: the session behind the cookie stops working at once, with the tokens and sessions it created.
   * Unknown secrets are ignored (already signed out).
   */
  async revokeBySecret(secret: string): Promise<void> {
    if (!secret || secret.length > SECRET_MAX) return;
    const revokedTokens = await this.write(async (tx) => {
      const hash = hashSecret(secret);
      const session = await new SessionRepository(tx).findByHash(hash);
      if (!session || !sameHash(session.hash, hash) || session.revokedAt) return [];
      return revokeWithDescendants(
        tx,
        { kind: 'USER', userId: session.user.id, email: session.user.email },
        {
          sessionIds: [session.id],
        },
      );
    });
    this.dropFromCache(revokedTokens);
  }

  /** A page of the signed-in account's live sessions, newest first, with what created each (`Viewer.sessions`). */
  async listPage(actor: Actor, page: PageRequest): Promise<Page<AccountSessionView>> {
    if (actor.kind !== 'USER')
      throw new DomainError(ErrorCode.FORBIDDEN, 'only a signed-in account lists its sessions');
    const userId = actor.userId;
    return this.read(async (em) => {
      const rows = await new SessionRepository(em).livePage(userId, page);
      const createdBy = await createdByOf(em, userId, rows.items.map(lineageFields));
      const views = new Map(rows.items.map((s, i) => [s, { ...sessionView(s), createdBy: createdBy[i] }]));
      return mapPage(rows, (s) => views.get(s)!);
    });
  }

  /**
   * Revokes the session behind a cookie's secret, with what it created, inside the caller's transaction (a sign-in
   * that replaces it). The revoked tokens are announced to every instance's cache on commit.
   */
  async revokeBySecretIn(tx: Transaction, secret: string): Promise<void> {
    if (!secret || secret.length > SECRET_MAX) return;
    const hash = hashSecret(secret);
    const session = await new SessionRepository(tx).findByHash(hash);
    if (!session || !sameHash(session.hash, hash) || session.revokedAt) return;
    const owner = { kind: 'USER' as const, userId: session.user.id, email: session.user.email };
    await revokeWithDescendants(tx, owner, { sessionIds: [session.id] });
  }

  /**
   * Revokes one of the caller's own sessions, with the tokens and sessions it created; someone else's is "not
   * found", like a missing one.
   */
  async revoke(actor: Actor, sessionId: string): Promise<AccountSessionView> {
    const { view, revokedTokens } = await this.write(async (tx) => {
      const sessions = new SessionRepository(tx);
      const found = actor.kind === 'USER' && isUuid(sessionId) ? await sessions.findOwn(actor.userId, sessionId) : null;
      if (!found) throw notFound('session');
      let revokedTokens: string[] = [];
      if (!found.revokedAt) {
        const now = new Date();
        revokedTokens = await revokeWithDescendants(tx, actor, { sessionIds: [found.id] }, now);
        found.revokedAt = now;
      }
      const [createdBy] = await createdByOf(tx, found.user.id, [lineageFields(found)]);
      return { view: { ...sessionView(found), createdBy }, revokedTokens };
    });
    this.dropFromCache(revokedTokens);
    return view;
  }
}

/** A session's origin and parent, in the shape createdByOf reads. */
const lineageFields = (s: Session) => ({
  origin: signInOrigin(s.method),
  parentTokenId: s.parentTokenId,
  parentSessionId: null,
});

/** The access token a session was to be opened with was revoked or expired between its check and the sign-in. */
class ParentTokenGone extends Error {
  constructor() {
    super('the access token was revoked or has expired');
    this.name = 'ParentTokenGone';
  }
}
