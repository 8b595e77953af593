import express, { type RequestHandler, Router } from 'express';
import { type TransportDeps } from '../http/transport-deps';
import { consoleOrigins } from '../http/cors';
import { BODY_LIMIT, authErrorHandler, sendError } from './errors';
import {
  type AuthDeps,
  accessTokenSignIn,
  emailLinkPreview,
  emailLinkRequest,
  emailLinkSignIn,
  invitationAccept,
  invitationPreview,
  oidcCallback,
  oidcStart,
  signInMethods,
  signOut,
} from './handlers';
import { readOidcFlowCookie } from './session-cookie';
import { createSignInLimits, emailTarget, secretTarget } from './sign-in-limits';

/**
 * The browser sign-in endpoints under /auth. Every POST is JSON only and, when the browser names its origin,
 * from the console's own origin: a cross-site form cannot post JSON, and a cross-site script is refused here.
 * Attempts are rate-limited per client address and per target (see createSignInLimits).
 */
export function createAuthRouter(container: TransportDeps): Router {
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

  const deps: AuthDeps = { services, publicUrl: config.PUBLIC_URL };
  router.get('/methods', signInMethods(deps));
  router.post('/token', ...signInPost, accessTokenSignIn(deps));
  router.post('/email-link', ...signInPost, emailLinkRequest(deps));
  router.post('/email-link/preview', ...signInPost, emailLinkPreview(deps));
  router.post('/email-link/verify', ...signInPost, emailLinkSignIn(deps));
  router.post('/invitation', ...signInPost, invitationPreview(deps));
  router.post('/invitation/accept', ...signInPost, invitationAccept(deps));
  router.get('/oidc/start', oidcStart(deps));
  router.get('/oidc/callback', limitCallback, oidcCallback(deps));
  router.post('/sign-out', sameOriginJson, signOut(deps));

  router.use(limits.failures);
  router.use(authErrorHandler(logger));
  return router;
}
