import { SignInMethod } from './session-rules';

/**
 * Credential lineage: every access token and browser session records what created it, so that a credential that
 * leaks can be contained. A child never outlives its parent (its expiry is capped at the parent's), and revoking a
 * credential revokes everything it created, transitively (see CredentialLineageRepository.revokeTrees).
 *
 * Verification does not walk a credential's ancestry: each descendant's own row already carries the outcome. The
 * cascade runs in the revoking transaction, a creation locks its parent (so none slips past a concurrent
 * revocation), and an ancestor's expiry is copied down as a cap when the child is made. A session's idle time-out is
 * not part of the cap: it ends that browser's session, while what the session made keeps its fixed end.
 */

/** What created a credential. The values are stored (api_key.origin; session.method uses the sign-in subset). */
export enum CredentialOrigin {
  /** A token made in the console: the browser session of that request. */
  SESSION = 'session',
  /** A token made with a bearer access token, or a session opened by pasting one (`POST /auth/token`). */
  ACCESS_TOKEN = 'access_token',
  /** A token made with an OIDC JWT, or a session opened by OIDC sign-in. No stored parent. */
  OIDC = 'oidc',
  /** A session opened by a one-time e-mail link. No parent. */
  EMAIL_LINK = 'email_link',
  /** A session opened by accepting an invitation. No parent. */
  INVITATION = 'invitation',
  /** `orgctl token create` / `orgctl org create` (an operator). No parent. */
  CLI = 'cli',
}

/**
 * The credential that authenticated a request: a stored session or access token (`id`), or an OIDC JWT (no row;
 * `expiresAt` is its `exp`).
 */
export type RequestCredential =
  | { kind: CredentialOrigin.SESSION | CredentialOrigin.ACCESS_TOKEN; id: string }
  | { kind: CredentialOrigin.OIDC; id: null; expiresAt: Date };

/** Where a new credential comes from: its origin, its stored parent (if any) and the latest end that parent allows. */
export interface Lineage {
  /** Null: not recorded (an actor made in process, without a credential). */
  origin: CredentialOrigin | null;
  parentTokenId: string | null;
  parentSessionId: string | null;
  /** The parent's own end: the child may not last longer. Null: the parent never expires. */
  parentEndsAt: Date | null;
}

/** A session's origin is its sign-in method (the same values). */
export function signInOrigin(method: SignInMethod): CredentialOrigin {
  switch (method) {
    case SignInMethod.ACCESS_TOKEN:
      return CredentialOrigin.ACCESS_TOKEN;
    case SignInMethod.EMAIL_LINK:
      return CredentialOrigin.EMAIL_LINK;
    case SignInMethod.OIDC:
      return CredentialOrigin.OIDC;
    case SignInMethod.INVITATION:
      return CredentialOrigin.INVITATION;
  }
}

/** A credential's expiry under its parent's: the earlier of the two (null = never). */
export function cappedExpiry(requested: Date | null, parentEndsAt: Date | null): Date | null {
  if (!parentEndsAt) return requested;
  if (!requested) return parentEndsAt;
  return requested.getTime() <= parentEndsAt.getTime() ? requested : parentEndsAt;
}

/** True when the parent's end moved the requested expiry earlier (a "never" or a later date). */
export function expiryWasCapped(requested: Date | null, granted: Date | null): boolean {
  return granted !== null && (requested === null || requested.getTime() > granted.getTime());
}

/** What is shown of a credential's parent, when it is still stored. */
export interface ParentSummary {
  /** A parent session's browser (User-Agent). */
  userAgent?: string | null;
  /** A parent token's label and hint. */
  name?: string | null;
  hint?: string;
}

/** Longest browser description in a label: the start of a User-Agent names the browser and system well enough. */
const LABEL_USER_AGENT_MAX = 48;

const shortened = (text: string): string =>
  text.length <= LABEL_USER_AGENT_MAX ? text : `${text.slice(0, LABEL_USER_AGENT_MAX - 1).trimEnd()}…`;

/** A one-line description of what created a credential, for the account's lists ("Session (Firefox …)", "orgctl"). */
export function originLabel(origin: CredentialOrigin | null, parent: ParentSummary | null): string {
  switch (origin) {
    case CredentialOrigin.SESSION:
      return parent ? `Session (${shortened(parent.userAgent ?? 'unknown browser')})` : 'Session (ended)';
    case CredentialOrigin.ACCESS_TOKEN:
      if (!parent?.hint) return 'Access token (no longer stored)';
      return parent.name ? `Access token ${parent.name} (${parent.hint})` : `Access token ${parent.hint}`;
    case CredentialOrigin.OIDC:
      return 'Single sign-on';
    case CredentialOrigin.EMAIL_LINK:
      return 'E-mail link';
    case CredentialOrigin.INVITATION:
      return 'Invitation';
    case CredentialOrigin.CLI:
      return 'orgctl';
    case null:
      return 'Not recorded';
  }
}
