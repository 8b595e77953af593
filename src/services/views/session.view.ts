import { type SignInMethod } from '../../domain/session-rules';
import { type Session } from '../../entities';
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
  };
}
