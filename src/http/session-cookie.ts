import { parse } from 'cookie';
import { CookieOptions, Request, Response } from 'express';
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
