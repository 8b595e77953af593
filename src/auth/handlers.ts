import { type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { type Services } from '../services/services';
import { type SignedIn } from '../services/sign-in.service';
import { sendError, signInRedirectCode } from './errors';
import {
  clearOidcFlowCookie,
  clearSessionCookie,
  readOidcFlowCookie,
  readSessionCookie,
  setOidcFlowCookie,
  setSessionCookie,
} from './session-cookie';

/** What every sign-in handler needs: the services that decide, and the public address the cookies are set for. */
export interface AuthDeps {
  services: Services;
  publicUrl: string;
}

const tokenBody = z.object({ token: z.string().min(1).max(500) });
const emailBody = z.object({ email: z.string().min(1).max(320), returnTo: z.string().max(500).optional() });

type Handler = (req: Request, res: Response) => Promise<void>;

/** An async handler whose failures go to the router's error middleware. */
const handle =
  (work: Handler): RequestHandler =>
  (req, res, next) =>
    work(req, res).catch(next);

/** Validated JSON body, or a 400 answered and null. */
function parse<T>(schema: z.ZodType<T>, req: Request, res: Response): T | null {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  sendError(res, 400, 'INVALID_INPUT', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  return null;
}

function signedIn(res: Response, result: SignedIn, publicUrl: string): void {
  setSessionCookie(res, result.secret, publicUrl);
  res.json({ user: result.user });
}

/** Browser navigations (not fetches): failures come back to the console's sign-in page with a code, never as JSON. */
const toSignIn = (res: Response, code: string) => res.redirect(302, `/sign-in?error=${encodeURIComponent(code)}`);

/** GET /methods: the sign-in methods this instance offers. */
export const signInMethods =
  ({ services }: AuthDeps): RequestHandler =>
  (_req, res) => {
    res.json({ emailLink: true, accessToken: true, oidc: services.oidcSignIn.enabled });
  };

/** POST /token: an access token pasted into the console. */
export const accessTokenSignIn = ({ services, publicUrl }: AuthDeps): RequestHandler =>
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
          readSessionCookie(req, publicUrl),
        ),
        publicUrl,
      );
  });

/** POST /email-link: asks for a sign-in link by mail. */
export const emailLinkRequest = ({ services }: AuthDeps): RequestHandler =>
  handle(async (req, res) => {
    const body = parse(emailBody, req, res);
    if (!body) return;
    // Queues the work and returns: the answer takes the same time whether the address has an account or not.
    services.signIn.requestEmailLink(body.email, body.returnTo);
    res.status(202).json({});
  });

/**
 * POST /email-link/preview: what a link signs into (masked) and who is signed in now, without using the link: the
 * page says both first.
 */
export const emailLinkPreview = ({ services, publicUrl }: AuthDeps): RequestHandler =>
  handle(async (req, res) => {
    const body = parse(tokenBody, req, res);
    if (body) res.json(await services.signIn.emailLinkPreview(body.token, readSessionCookie(req, publicUrl)));
  });

/** POST /email-link/verify: the link from the e-mail signs in, once. */
export const emailLinkSignIn = ({ services, publicUrl }: AuthDeps): RequestHandler =>
  handle(async (req, res) => {
    const body = parse(tokenBody, req, res);
    if (!body) return;
    // The session this browser had is revoked with the new one's opening (never left alive behind a new cookie).
    const replaced = readSessionCookie(req, publicUrl);
    signedIn(
      res,
      await services.signIn.withEmailLink(body.token, req.get('user-agent'), res.locals.requestId, replaced),
      publicUrl,
    );
  });

/** POST /invitation: what an invitation is for, and who is signed in now, before accepting it. */
export const invitationPreview = ({ services, publicUrl }: AuthDeps): RequestHandler =>
  handle(async (req, res) => {
    const body = parse(tokenBody, req, res);
    if (!body) return;
    const { status, member, invitedBy, accountExists } = await services.memberLifecycle.invitationPreview(body.token);
    const signedInAs = await services.signIn.signedInAccount(readSessionCookie(req, publicUrl));
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
  });

/** POST /invitation/accept: accepts an invitation, with the browser's session or a new account. */
export const invitationAccept = ({ services, publicUrl }: AuthDeps): RequestHandler =>
  handle(async (req, res) => {
    const body = parse(tokenBody, req, res);
    if (!body) return;
    const result = await services.signIn.withInvitation(
      body.token,
      req.get('user-agent'),
      res.locals.requestId,
      readSessionCookie(req, publicUrl),
    );
    // A new account comes with a new session; a signed-in account accepted with its own session, which stays.
    if (result.opened) setSessionCookie(res, result.opened.secret, publicUrl);
    res.json({
      organizationId: result.member.organizationId,
      organizationName: result.member.organizationName,
      memberId: result.member.memberId,
      status: result.member.status,
    });
  });

/** GET /oidc/start: off to the identity provider, with this flow's secret in a short-lived cookie. */
export const oidcStart = ({ services, publicUrl }: AuthDeps): RequestHandler =>
  handle(async (req, res) => {
    try {
      const { redirectUrl, flowCookie } = await services.oidcSignIn.begin(req.query.returnTo);
      setOidcFlowCookie(res, flowCookie, publicUrl);
      res.redirect(302, redirectUrl);
    } catch (err) {
      const code = signInRedirectCode(err);
      if (code) return toSignIn(res, code);
      throw err;
    }
  });

/** GET /oidc/callback: back from the identity provider; signs in and goes where the flow started. */
export const oidcCallback = ({ services, publicUrl }: AuthDeps): RequestHandler =>
  handle(async (req, res) => {
    const flowCookie = readOidcFlowCookie(req, publicUrl);
    // Single use: whatever happens next, this flow is over.
    clearOidcFlowCookie(res, publicUrl);
    try {
      const result = await services.oidcSignIn.complete(
        req.query,
        flowCookie,
        req.get('user-agent'),
        res.locals.requestId,
        readSessionCookie(req, publicUrl),
      );
      setSessionCookie(res, result.secret, publicUrl);
      res.redirect(302, result.returnTo);
    } catch (err) {
      const code = signInRedirectCode(err);
      if (code) return toSignIn(res, code);
      throw err;
    }
  });

/** POST /sign-out: ends this browser's session and forgets its cookie. */
export const signOut = ({ services, publicUrl }: AuthDeps): RequestHandler =>
  handle(async (req, res) => {
    const secret = readSessionCookie(req, publicUrl);
    if (secret) await services.sessions.revokeBySecret(secret);
    clearSessionCookie(res, publicUrl);
    res.status(204).end();
  });
