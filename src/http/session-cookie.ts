import { parse } from 'cookie';
import { type CookieOptions, type Request, type Response } from 'express';
import { SESSION_ABSOLUTE_MS } from '../domain/session-rules';

export const SESSION_COOKIE = 'orgd_session';

/** HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Secure when the public address is https. */
function cookieOptions(publicUrl: string): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: publicUrl.startsWith('https:') };
}

export function readSessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[SESSION_COOKIE] || undefined;
}

/** The browser keeps the cookie until the absolute expiry at most; the server enforces idle expiry and revocation. */
export function setSessionCookie(res: Response, secret: string, publicUrl: string): void {
  res.cookie(SESSION_COOKIE, secret, { ...cookieOptions(publicUrl), maxAge: SESSION_ABSOLUTE_MS });
}

export function clearSessionCookie(res: Response, publicUrl: string): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(publicUrl));
}

/** The OIDC sign-in in progress: its secret, for the callback only, for as long as a person may spend at the provider. */
const OIDC_FLOW_COOKIE = 'orgd_oidc_flow';
const OIDC_FLOW_MS = 10 * 60_000;
const oidcFlowOptions = (publicUrl: string): CookieOptions => ({ ...cookieOptions(publicUrl), path: '/auth/oidc' });

export function setOidcFlowCookie(res: Response, value: string, publicUrl: string): void {
  res.cookie(OIDC_FLOW_COOKIE, value, { ...oidcFlowOptions(publicUrl), maxAge: OIDC_FLOW_MS });
}

export function readOidcFlowCookie(req: Request): string | undefined {
  return req.headers.cookie ? parse(req.headers.cookie)[OIDC_FLOW_COOKIE] || undefined : undefined;
}

export function clearOidcFlowCookie(res: Response, publicUrl: string): void {
  res.clearCookie(OIDC_FLOW_COOKIE, oidcFlowOptions(publicUrl));
}
