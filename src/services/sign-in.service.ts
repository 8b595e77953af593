import { SignInMethod } from '../domain/session-rules';
import { BaseService, ServiceDeps } from './base';
import { OpenedSession, SessionService } from './session.service';
import { TokenService } from './token.service';

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
    private readonly services: { tokens: TokenService; sessions: SessionService },
  ) {
    super(deps);
  }

  /** An access token (made by `orgctl token create` or `accessTokenCreate`) pasted into the console. */
  async withAccessToken(token: string, userAgent: string | undefined): Promise<SignedIn> {
    const user = await this.services.tokens.verify(token);
    if (!user) throw new SignInError('INVALID_TOKEN', 'The access token is invalid or revoked.');
    const opened = await this.services.sessions.open(user, SignInMethod.ACCESS_TOKEN, userAgent);
    return { ...opened, user: { id: user.id, email: user.email } };
  }
}
