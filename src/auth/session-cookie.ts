import { parse } from 'cookie';
import { type CookieOptions, type Request, type Response } from 'express';
import { SESSION_ABSOLUTE_MS } from '../domain/session-rules';

const SESSION_COOKIE = 'orgd_session';
const OIDC_FLOW_COOKIE = 'orgd_oidc_flow';

const isHttps = (publicUrl: string): boolean => publicUrl.startsWith('https:');

/**
 * On https a cookie is named with the `__Host-` prefix: browsers then accept it only when Secure, with Path=/ and
 * no Domain, so neither a sibling subdomain nor a plain-http page of the same host can set or shadow it. Only that
 * name is read on https. Over plain http (a local start) browsers refuse the prefix, so the bare name is used.
 */
export function cookieName(base: string, publicUrl: string): string {
  return isHttps(publicUrl) ? `__Host-${base}` : base;
}

export const sessionCookieName = (publicUrl: string): string => cookieName(SESSION_COOKIE, publicUrl);
export const oidcFlowCookieName = (publicUrl: string): string => cookieName(OIDC_FLOW_COOKIE, publicUrl);

/** HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Secure when the public address is https. */
function cookieOptions(publicUrl: string): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: isHttps(publicUrl) };
}

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[name] || undefined : undefined;
}

export function readSessionCookie(req: Request, publicUrl: string): string | undefined {
  return readCookie(req, sessionCookieName(publicUrl));
}

/** The browser keeps the cookie until the absolute expiry at most; the server enforces idle expiry and revocation. */
export function setSessionCookie(res: Response, secret: string, publicUrl: string): void {
  res.cookie(sessionCookieName(publicUrl), secret, { ...cookieOptions(publicUrl), maxAge: SESSION_ABSOLUTE_MS });
}

export function clearSessionCookie(res: Response, publicUrl: string): void {
  res.clearCookie(sessionCookieName(publicUrl), cookieOptions(publicUrl));
}

/** The OIDC sign-in in progress: its secret, for the callback only, for as long as a person may spend at the provider. */
const OIDC_FLOW_MS = 10 * 60_000;
// Over http the flow cookie is sent to the callback only; a `__Host-` cookie must have Path=/ (still HttpOnly).
const oidcFlowOptions = (publicUrl: string): CookieOptions => ({
  ...cookieOptions(publicUrl),
  path: isHttps(publicUrl) ? '/' : '/auth/oidc',
});

export function setOidcFlowCookie(res: Response, value: string, publicUrl: string): void {
  res.cookie(oidcFlowCookieName(publicUrl), value, { ...oidcFlowOptions(publicUrl), maxAge: OIDC_FLOW_MS });
}

export function readOidcFlowCookie(req: Request, publicUrl: string): string | undefined {
  return readCookie(req, oidcFlowCookieName(publicUrl));
}

export function clearOidcFlowCookie(res: Response, publicUrl: string): void {
  res.clearCookie(oidcFlowCookieName(publicUrl), oidcFlowOptions(publicUrl));
}
