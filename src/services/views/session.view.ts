import { type SignInMethod } from '../../domain/session-rules';
import { type Session } from '../../entities';

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
