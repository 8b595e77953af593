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

/** The moment the session stops working if nothing else happens: idle expiry or absolute expiry, whichever comes first. */
export function sessionExpiresAt(session: { createdAt: Date; lastSeenAt: Date }): Date {
  return new Date(
    Math.min(session.lastSeenAt.getTime() + SESSION_IDLE_MS, session.createdAt.getTime() + SESSION_ABSOLUTE_MS),
  );
}

export function isSessionLive(
  session: { createdAt: Date; lastSeenAt: Date; revokedAt: Date | null },
  now = new Date(),
): boolean {
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
