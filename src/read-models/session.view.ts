import { type SignInMethod } from '../domain/session-rules';
import { type Session } from '../entities';
import { type CreatedByView } from './created-by.view';
import { type UserView, userView } from './organization.view';

/** A browser session as the account sees it (never its secret or hash). */
export interface SessionView {
  readonly id: string;
  readonly userId: string;
  readonly method: SignInMethod;
  readonly userAgent: string | null;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly revokedAt: Date | null;
  /** The hard end its parent set (an expiring access token); null: none. */
  readonly expiresAt: Date | null;
  /** The access token it was opened with (method access_token), when recorded. */
  readonly parentTokenId: string | null;
}

/** One of the account's sessions in its list, with what created it. */
export interface AccountSessionView extends SessionView {
  readonly createdBy: CreatedByView;
}

/** A session that authenticated a request, with its account. */
export interface AuthenticatedSessionView extends SessionView {
  readonly user: UserView;
}

/** `s` with its account loaded. */
export function authenticatedSessionView(s: Session): AuthenticatedSessionView {
  return { ...sessionView(s), user: userView(s.user) };
}

export function sessionView(s: Session): SessionView {
  return {
    id: s.id,
    userId: s.user.id,
    method: s.method,
    userAgent: s.userAgent,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    revokedAt: s.revokedAt,
    expiresAt: s.expiresAt,
    parentTokenId: s.parentTokenId,
  };
}
