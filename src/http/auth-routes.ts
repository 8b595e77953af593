import express, { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import { type Container } from '../container';
import { type DomainError, ErrorCode } from '../domain/errors';
import { InvitationStatus } from '../domain/invitation-rules';
import { InvitationNeedsSignIn, InvitationUnusable } from '../services/member.service';
import { SignInError, type SignedIn } from '../services/sign-in.service';
import { consoleOrigins } from './cors';
import { createSignInLimits, emailTarget, secretTarget } from './sign-in-limits';
import {
  clearOidcFlowCookie,
  clearSessionCookie,
  readOidcFlowCookie,
  readSessionCookie,
  setOidcFlowCookie,
  setSessionCookie,
} from './session-cookie';
import { toDomainError } from './unavailable';

const BODY_LIMIT = '4kb';

const INVITATION_MESSAGES: Record<InvitationStatus, string> = {
  [InvitationStatus.VALID]: 'The invitation is valid.',
  [InvitationStatus.EXPIRED]:
    'This invitation has expired; ask an administrator of the organization to invite you again.',
  [InvitationStatus.USED]: 'This invitation has already been accepted.',
  [InvitationStatus.REVOKED]: 'Your access to this organization has been revoked.',
  [InvitationStatus.INVALID]: 'This invitation link is not valid; check that it was copied completely.',
};
const tokenBody = z.object({ token: z.string().min(1).max(500) });
const emailBody = z.object({ email: z.string().min(1).max(320), returnTo: z.string().max(500).optional() });

type Handler = (req: Request, res: Response) => Promise<void>;

/** `{"error":{"code","message"}}`, the one error shape of the sign-in endpoints. */
function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** A domain error in the sign-in endpoints' own vocabulary; null for the codes they never raise (a bug there). */
function signInAnswer(code: ErrorCode): { status: number; code: string } | null {
  switch (code) {
    case ErrorCode.INVALID_INPUT:
      return { status: 400, code: 'INVALID_INPUT' };
    case ErrorCode.RATE_LIMITED:
      return { status: 429, code: 'RATE_LIMITED' };
    case ErrorCode.EMAIL_MISMATCH:
      return { status: 403, code: 'EMAIL_MISMATCH' };
    case ErrorCode.UNAVAILABLE:
      return { status: 503, code: 'SERVICE_UNAVAILABLE' };
    default:
      return null;
  }
}

/** Sends `err` when the sign-in vocabulary has it (with Retry-After when it says when to come back). */
function sendDomainError(res: Response, err: DomainError): boolean {
  const answer = signInAnswer(err.code);
  if (!answer) return false;
  if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
  sendError(res, answer.status, answer.code, err.message);
  return true;
}

/**
 * The browser sign-in endpoints under /auth. Every POST is JSON only and, when the browser names its origin,
 * from the console's own origin: a cross-site form cannot post JSON, and a cross-site script is refused here.
 * Attempts are rate-limited per client address and per target (see createSignInLimits).
 */
export function createAuthRouter(container: Container): Router {
  const { config, services, logger } = container;
  const publicOrigin = new URL(config.PUBLIC_URL).origin;
  const origins = consoleOrigins(config);
  const router = Router();

  const limits = createSignInLimits({
    addressPoints: config.SIGN_IN_RATE_LIMIT,
    targetPoints: config.SIGN_IN_TARGET_RATE_LIMIT,
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
  });
  // A link request sends mail, so each counts (per address and per e-mail); the other POSTs present a secret and
  // count only when it fails (per address and per secret). See createSignInLimits.
  const limitAttempts = limits.attempts((req) =>
    req.path === '/email-link'
      ? { counts: 'request', target: emailTarget((req.body as { email?: unknown } | undefined)?.email) }
      : { counts: 'failure', target: secretTarget((req.body as { token?: unknown } | undefined)?.token) },
  );
  const limitCallback = limits.callback(
    (req) => readOidcFlowCookie(req, config.PUBLIC_URL) !== undefined,
    (res) => res.statusCode >= 400 || String(res.getHeader('location') ?? '').startsWith('/sign-in?error='),
    (res) => res.redirect(302, '/sign-in?error=RATE_LIMITED'),
  );

  const sameOriginJson: RequestHandler = (req, res, next) => {
    if (!/^application\/json\s*(;|$)/i.test(req.get('content-type') ?? '')) {
      return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request as Content-Type: application/json.');
    }
    const origin = req.get('origin');
    if (origin !== undefined && !origins.includes(origin)) {
      return sendError(res, 403, 'FORBIDDEN_ORIGIN', `Requests must come from ${publicOrigin}.`);
    }
    next();
  };
  const json = express.json({ limit: BODY_LIMIT });
  // Every sign-in POST with a body: same-origin JSON, parsed (the budgets are per e-mail or secret), then counted.
  const signInPost = [sameOriginJson, json, limitAttempts];

  const handle =
    (work: Handler): RequestHandler =>
    (req, res, next) =>
      work(req, res).catch(next);

  /** Validated JSON body, or a 400 answered and null. */
  const parse = <T>(schema: z.ZodType<T>, req: Request, res: Response): T | null => {
    const parsed = schema.safeParse(req.body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    sendError(res, 400, 'INVALID_INPUT', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    return null;
  };

  const signedIn = (res: Response, result: SignedIn) => {
    setSessionCookie(res, result.secret, config.PUBLIC_URL);
    res.json({ user: result.user });
  };

  router.get('/methods', (_req, res) => {
    res.json({ emailLink: true, accessToken: true, oidc: services.oidcSignIn.enabled });
  });

  router.post(
    '/token',
    ...signInPost,
    handle(async (req, res) => {
      const body = parse(tokenBody, req, res);
      if (body)
        signedIn(
          res,
          await services.signIn.withAccessToken(
            body.token,
            req.get('user-agent'),
            res.locals.requestId,
            // The session this browser had is revoked with the new one's opening (never left alive behind a cookie).
            readSessionCookie(req, config.PUBLIC_URL),
          ),
        );
    }),
  );

  router.post(
    '/email-link',
    ...signInPost,
    handle(async (req, res) => {
      const body = parse(emailBody, req, res);
      if (!body) return;
      // Queues the work and returns: the answer takes the same time whether the address has an account or not.
      services.signIn.requestEmailLink(body.email, body.returnTo);
      res.status(202).json({});
    }),
  );

  // What a link signs into (masked) and who is signed in now, without using the link: the page says both first.
  router.post(
    '/email-link/preview',
    ...signInPost,
    handle(async (req, res) => {
      const body = parse(tokenBody, req, res);
      if (body) res.json(await services.signIn.emailLinkPreview(body.token, readSessionCookie(req, config.PUBLIC_URL)));
    }),
  );

  router.post(
    '/email-link/verify',
    ...signInPost,
    handle(async (req, res) => {
      const body = parse(tokenBody, req, res);
      if (!body) return;
      // The session this browser had is revoked with the new one's opening (never left alive behind a new cookie).
      const replaced = readSessionCookie(req, config.PUBLIC_URL);
      signedIn(
        res,
        await services.signIn.withEmailLink(body.token, req.get('user-agent'), res.locals.requestId, replaced),
      );
    }),
  );

  router.post(
    '/invitation',
    ...signInPost,
    handle(async (req, res) => {
      const body = parse(tokenBody, req, res);
      if (!body) return;
      const { status, member, invitedBy, accountExists } = await services.members.invitationPreview(body.token);
      const signedInAs = await services.signIn.signedInAccount(readSessionCookie(req, config.PUBLIC_URL));
      res.json({
        status,
        organizationName: member?.organizationName ?? null,
        invitedBy: member ? invitedBy : null,
        email: member?.email ?? null,
        role: member?.role ?? null,
        expiresAt: member?.expiresAt?.toISOString() ?? null,
        accountExists,
        signedInAs: signedInAs?.email ?? null,
      });
    }),
  );

  router.post(
    '/invitation/accept',
    ...signInPost,
    handle(async (req, res) => {
      const body = parse(tokenBody, req, res);
      if (!body) return;
      const result = await services.signIn.withInvitation(
        body.token,
        req.get('user-agent'),
        res.locals.requestId,
        readSessionCookie(req, config.PUBLIC_URL),
      );
      // A new account comes with a new session; a signed-in account accepted with its own session, which stays.
      if (result.opened) setSessionCookie(res, result.opened.secret, config.PUBLIC_URL);
      res.json({
        organizationId: result.member.organizationId,
        organizationName: result.member.organizationName,
        memberId: result.member.memberId,
        status: result.member.status,
      });
    }),
  );

  // Browser navigations (not fetches): failures come back to the console's sign-in page with a code, never as JSON.
  const toSignIn = (res: Response, code: string) => res.redirect(302, `/sign-in?error=${encodeURIComponent(code)}`);

  router.get(
    '/oidc/start',
    handle(async (req, res) => {
      try {
        const { redirectUrl, flowCookie } = await services.oidcSignIn.begin(req.query.returnTo);
        setOidcFlowCookie(res, flowCookie, config.PUBLIC_URL);
        res.redirect(302, redirectUrl);
      } catch (err) {
        if (err instanceof SignInError) return toSignIn(res, err.code);
        throw err;
      }
    }),
  );

  router.get(
    '/oidc/callback',
    limitCallback,
    handle(async (req, res) => {
      const flowCookie = readOidcFlowCookie(req, config.PUBLIC_URL);
      // Single use: whatever happens next, this flow is over.
      clearOidcFlowCookie(res, config.PUBLIC_URL);
      try {
        const result = await services.oidcSignIn.complete(
          req.query,
          flowCookie,
          req.get('user-agent'),
          res.locals.requestId,
          readSessionCookie(req, config.PUBLIC_URL),
        );
        setSessionCookie(res, result.secret, config.PUBLIC_URL);
        res.redirect(302, result.returnTo);
      } catch (err) {
        if (err instanceof SignInError) return toSignIn(res, err.code);
        if (toDomainError(err)?.code === ErrorCode.UNAVAILABLE) return toSignIn(res, 'SERVICE_UNAVAILABLE');
        throw err;
      }
    }),
  );

  router.post(
    '/sign-out',
    sameOriginJson,
    handle(async (req, res) => {
      const secret = readSessionCookie(req, config.PUBLIC_URL);
      if (secret) await services.sessions.revokeBySecret(secret);
      clearSessionCookie(res, config.PUBLIC_URL);
      res.status(204).end();
    }),
  );

  router.use(limits.failures);
  router.use((err: { status?: number; type?: string } & Error, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof SignInError) return sendError(res, err.status, err.code, err.message);
    if (err instanceof InvitationNeedsSignIn) return sendError(res, 409, 'SIGN_IN_REQUIRED', err.message);
    if (err instanceof InvitationUnusable) {
      // 404 for a token that matches nothing; 410 for an invitation that existed but can no longer be used.
      return sendError(
        res,
        err.reason === InvitationStatus.INVALID ? 404 : 410,
        `INVITATION_${err.reason}`,
        INVITATION_MESSAGES[err.reason],
      );
    }
    const domain = toDomainError(err);
    if (domain && sendDomainError(res, domain)) return;
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
  });
  return router;
}
