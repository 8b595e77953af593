import { type ErrorRequestHandler, type Response } from 'express';
import { type Logger } from 'pino';
import { ErrorCode } from '../domain/errors';
import { SignInCode, SignInFailure } from '../domain/sign-in-errors';
import { toDomainError } from '../http/unavailable';

/** The largest JSON body a sign-in endpoint reads. */
export const BODY_LIMIT = '4kb';

/** Every code a sign-in endpoint may be refused with: the shared vocabulary and the sign-in one. */
export type AuthCode = ErrorCode | SignInCode;

/** How /auth answers a code: the HTTP status and the `error.code` on the wire. */
export interface AuthAnswer {
  status: number;
  code: string;
}

const as = (status: number, code: string): AuthAnswer => ({ status, code });

/**
 * The one exhaustive mapping from error codes to the /auth contract (a new code does not compile until placed).
 * Codes no sign-in raises today still get the answer their meaning calls for, never a 500.
 */
export function authAnswer(code: AuthCode): AuthAnswer {
  switch (code) {
    case ErrorCode.INVALID_INPUT:
    case ErrorCode.UNKNOWN_MEMBERS:
      return as(400, code);
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.INVALID_TOKEN:
    case SignInCode.INVALID_LINK:
    case SignInCode.OIDC_STATE_MISMATCH:
    case SignInCode.OIDC_DENIED:
    case SignInCode.OIDC_FAILED:
      return as(401, code);
    case ErrorCode.FORBIDDEN:
    case ErrorCode.EMAIL_MISMATCH:
    case SignInCode.OIDC_FORBIDDEN:
      return as(403, code);
    case ErrorCode.NOT_FOUND:
    case SignInCode.OIDC_NOT_CONFIGURED:
    case SignInCode.INVITATION_INVALID: // a token that matches nothing
      return as(404, code);
    case ErrorCode.DUPLICATE_EMAIL:
    case ErrorCode.DUPLICATE_USER_NAME:
    case ErrorCode.DUPLICATE_EXTERNAL_ID:
    case ErrorCode.DUPLICATE_GROUP:
    case ErrorCode.LAST_OWNER:
    case ErrorCode.SEAT_LIMIT:
    case ErrorCode.INVALID_STATE:
    case ErrorCode.MANAGED_BY_IDP:
    case ErrorCode.VERSION_MISMATCH:
    case SignInCode.SIGN_IN_REQUIRED:
      return as(409, code);
    // An invitation that existed but can no longer be used (a token that matches nothing is 404).
    case SignInCode.INVITATION_EXPIRED:
    case SignInCode.INVITATION_USED:
    case SignInCode.INVITATION_REVOKED:
      return as(410, code);
    case ErrorCode.RATE_LIMITED:
      return as(429, code);
    case ErrorCode.UNAVAILABLE:
      return as(503, 'SERVICE_UNAVAILABLE');
    case SignInCode.OIDC_UNAVAILABLE:
      return as(503, code);
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped error code ${String(unhandled)}`);
    }
  }
}

/** A thrown value as a refusal in the /auth vocabulary (a database outage is UNAVAILABLE); null for a bug. */
export function authFailureOf(err: unknown): { code: AuthCode; message: string; retryAfterSeconds?: number } | null {
  return err instanceof SignInFailure ? err : toDomainError(err);
}

/** A failure the caller caused, as opposed to an outage, a spent budget or a bug (what the sign-in limits count). */
export function isCallerFailure(err: unknown): boolean {
  const failure = authFailureOf(err);
  return !!failure && failure.code !== ErrorCode.RATE_LIMITED && authAnswer(failure.code).status < 500;
}

/** The code a browser navigation (the OIDC flow) is sent back to the sign-in page with; null for a bug. */
export function signInRedirectCode(err: unknown): string | null {
  const failure = authFailureOf(err);
  if (failure instanceof SignInFailure || failure?.code === ErrorCode.UNAVAILABLE) return authAnswer(failure.code).code;
  return null;
}

/** `{"error":{"code","message"}}`, the one error shape of the sign-in endpoints. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** The last error middleware of /auth: every failure as `{"error":{"code","message"}}`, a bug as a logged 500. */
export function authErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: { status?: number; type?: string } & Error, req, res, next) => {
    if (res.headersSent) return next(err);
    const failure = authFailureOf(err);
    if (failure) {
      const answer = authAnswer(failure.code);
      if (failure.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
      return sendError(res, answer.status, answer.code, failure.message);
    }
    if (err.status && err.status < 500) {
      const tooLarge = err.type === 'entity.too.large';
      return sendError(
        res,
        err.status,
        tooLarge ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT',
        tooLarge ? `The request body is larger than ${BODY_LIMIT}.` : 'The request body is not valid JSON.',
      );
    }
    logger.error({ err, requestId: res.locals.requestId, path: req.path }, 'sign-in request failed');
    sendError(res, 500, 'INTERNAL', 'internal server error');
  };
}
