import express from 'express';
import pino from 'pino';
import request from 'supertest';
import {
  type AuthCode,
  authAnswer,
  authErrorHandler,
  isCallerFailure,
  signInRedirectCode,
} from '../../src/auth/errors';
import { DomainError, ErrorCode, rateLimited } from '../../src/domain/errors';
import { SignInCode, SignInFailure } from '../../src/domain/sign-in-errors';

type Row = [status: number, wireCode: string];

// One row per code, shared and sign-in alike: the HTTP status and `error.code` the /auth endpoints answer with.
const table: Record<AuthCode, Row> = {
  [ErrorCode.NOT_FOUND]: [404, 'NOT_FOUND'],
  [ErrorCode.FORBIDDEN]: [403, 'FORBIDDEN'],
  [ErrorCode.UNAUTHENTICATED]: [401, 'UNAUTHENTICATED'],
  [ErrorCode.INVALID_INPUT]: [400, 'INVALID_INPUT'],
  [ErrorCode.DUPLICATE_EMAIL]: [409, 'DUPLICATE_EMAIL'],
  [ErrorCode.DUPLICATE_USER_NAME]: [409, 'DUPLICATE_USER_NAME'],
  [ErrorCode.DUPLICATE_EXTERNAL_ID]: [409, 'DUPLICATE_EXTERNAL_ID'],
  [ErrorCode.DUPLICATE_GROUP]: [409, 'DUPLICATE_GROUP'],
  [ErrorCode.LAST_OWNER]: [409, 'LAST_OWNER'],
  [ErrorCode.SEAT_LIMIT]: [409, 'SEAT_LIMIT'],
  [ErrorCode.INVALID_STATE]: [409, 'INVALID_STATE'],
  [ErrorCode.INVALID_TOKEN]: [401, 'INVALID_TOKEN'],
  [ErrorCode.EMAIL_MISMATCH]: [403, 'EMAIL_MISMATCH'],
  [ErrorCode.VERSION_MISMATCH]: [409, 'VERSION_MISMATCH'],
  [ErrorCode.UNKNOWN_MEMBERS]: [400, 'UNKNOWN_MEMBERS'],
  [ErrorCode.MANAGED_BY_IDP]: [409, 'MANAGED_BY_IDP'],
  [ErrorCode.RATE_LIMITED]: [429, 'RATE_LIMITED'],
  [ErrorCode.UNAVAILABLE]: [503, 'SERVICE_UNAVAILABLE'],
  [SignInCode.INVALID_LINK]: [401, 'INVALID_LINK'],
  [SignInCode.SIGN_IN_REQUIRED]: [409, 'SIGN_IN_REQUIRED'],
  [SignInCode.INVITATION_INVALID]: [404, 'INVITATION_INVALID'],
  [SignInCode.INVITATION_EXPIRED]: [410, 'INVITATION_EXPIRED'],
  [SignInCode.INVITATION_USED]: [410, 'INVITATION_USED'],
  [SignInCode.INVITATION_REVOKED]: [410, 'INVITATION_REVOKED'],
  [SignInCode.OIDC_NOT_CONFIGURED]: [404, 'OIDC_NOT_CONFIGURED'],
  [SignInCode.OIDC_UNAVAILABLE]: [503, 'OIDC_UNAVAILABLE'],
  [SignInCode.OIDC_STATE_MISMATCH]: [401, 'OIDC_STATE_MISMATCH'],
  [SignInCode.OIDC_DENIED]: [401, 'OIDC_DENIED'],
  [SignInCode.OIDC_FAILED]: [401, 'OIDC_FAILED'],
  [SignInCode.OIDC_FORBIDDEN]: [403, 'OIDC_FORBIDDEN'],
};

const shared = Object.values(ErrorCode);
const signIn = Object.values(SignInCode);
const isSignIn = (code: AuthCode): code is SignInCode => (signIn as string[]).includes(code);

const failureOf = (code: AuthCode): Error =>
  isSignIn(code)
    ? new SignInFailure(code, `message for ${code}`)
    : code === ErrorCode.RATE_LIMITED
      ? rateLimited(7, 'Too many sign-in attempts')
      : new DomainError(code, `message for ${code}`);

/** A bare app whose one route throws what the test names, answered by the /auth error middleware. */
function appThrowing(err: () => unknown) {
  const app = express();
  app.get('/', () => {
    throw err();
  });
  app.use(authErrorHandler(pino({ level: 'silent' })));
  return app;
}

describe('/auth rendering of error codes', () => {
  it('covers every ErrorCode and every SignInCode, and the two vocabularies do not overlap', () => {
    expect(Object.keys(table).sort()).toEqual([...shared, ...signIn].sort());
    expect(shared.filter((code) => (signIn as string[]).includes(code))).toEqual([]);
  });

  it.each([...shared, ...signIn])('%s', async (code) => {
    const [status, wireCode] = table[code];
    expect(authAnswer(code)).toEqual({ status, code: wireCode });
    const err = failureOf(code);
    const res = await request(appThrowing(() => err)).get('/');
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: { code: wireCode, message: err.message } });
    expect(res.headers['retry-after']).toBe(code === ErrorCode.RATE_LIMITED ? '7' : undefined);
    // The sign-in budgets count what the caller got wrong, not an outage or a spent budget.
    expect(isCallerFailure(err)).toBe(status < 500 && code !== ErrorCode.RATE_LIMITED);
    // The OIDC flow sends its own failures and outages back to the sign-in page; anything else is a bug there.
    expect(signInRedirectCode(err)).toBe(isSignIn(code) || code === ErrorCode.UNAVAILABLE ? wireCode : null);
  });

  it('answers a bug with a logged 500, and neither counts it nor redirects with it', async () => {
    const res = await request(appThrowing(() => new Error('boom'))).get('/');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'internal server error' } });
    expect(isCallerFailure(new Error('boom'))).toBe(false);
    expect(signInRedirectCode(new Error('boom'))).toBeNull();
  });
});
