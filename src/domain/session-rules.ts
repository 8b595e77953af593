/** How long a browser session lives: idle expiry, absolute expiry, and how stale last_seen_at may get. */
export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3600_000;
/** Stamping last_seen_at on every request would be a write per request; a minute is precise enough for a 12 h idle limit. */
export const SESSION_TOUCH_MS = 60_000;
export const USER_AGENT_MAX = 200;

/** How a session was opened (GraphQL `SignInMethod`, account events' `method`). */
export enum SignInMethod {
  EMAIL_LINK = 'email_link',
  ACCESS_TOKEN = 'access_token',
  OIDC = 'oidc',
  INVITATION = 'invitation',
}

/** A session's times; `expiresAt` is the hard cap its parent set (a session opened with an expiring access token). */
interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date | null;
}

/**
 * The latest a session can last, however much it is used: the absolute expiry, or its parent's cap when earlier.
 * What it creates may not last longer (CredentialLineage).
 */
export function sessionHardEnd(session: { createdAt: Date; expiresAt: Date | null }): Date {
  const absolute = session.createdAt.getTime() + SESSION_ABSOLUTE_MS;
  return new Date(session.expiresAt ? Math.min(absolute, session.expiresAt.getTime()) : absolute);
}

/**
 * The moment the session stops working if nothing else happens: idle expiry, absolute expiry or its parent's cap,
 * whichever comes first.
 */
export function sessionExpiresAt(session: SessionTimes): Date {
  return new Date(Math.min(session.lastSeenAt.getTime() + SESSION_IDLE_MS, sessionHardEnd(session).getTime()));
}

export function isSessionLive(session: SessionTimes & { revokedAt: Date | null }, now = new Date()): boolean {
  return !session.revokedAt && sessionExpiresAt(session) > now;
}

/** What is kept of a User-Agent header: printable ASCII, truncated (it is shown in the session list, never trusted). */
export function cleanUserAgent(value: string | undefined): string | null {
  const cleaned = (value ?? '')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, USER_AGENT_MAX);
  return cleaned || null;
}
