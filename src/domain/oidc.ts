import { DomainError, ErrorCode } from './errors';
import { normalizeEmail } from './member-rules';

/** The claims of a verified ID/access token that identify a person (the signature, iss, aud and exp were checked). */
export interface OidcClaims {
  iss: string;
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
  name: string | null;
}

// OpenID Connect Core §2: `sub` is at most 255 ASCII characters, unique and never reassigned within the issuer.
const MAX_SUBJECT = 255;
const MAX_ISSUER = 500;

/**
 * What a token says about its bearer. The e-mail counts only when the issuer vouches for it
 * (`email_verified: true`, OpenID Connect Core §5.1), unless the operator trusts an issuer that never sends it.
 */
export function oidcIdentity(claims: OidcClaims, opts: { trustUnverifiedEmail: boolean }): OidcIdentity {
  const { iss, sub } = claims;
  if (typeof iss !== 'string' || !iss || iss.length > MAX_ISSUER)
    throw unauthenticated('the token names no valid issuer');
  if (typeof sub !== 'string' || !sub || sub.length > MAX_SUBJECT)
    throw unauthenticated('the token carries no valid subject (sub claim)');
  if (typeof claims.email !== 'string') throw unauthenticated('the token carries no email claim');
  if (claims.email_verified !== true && !opts.trustUnverifiedEmail) {
    throw unauthenticated('the token carries no verified email address (email_verified must be true)');
  }
  let email: string;
  try {
    email = normalizeEmail(claims.email);
  } catch {
    throw unauthenticated('the token carries no valid email address');
  }
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : null;
  return { issuer: iss, subject: sub, email, name };
}

/**
 * OpenID Connect Core §3.1.3.7 (4, 5): a token for several audiences must name the party it was issued to (`azp`),
 * and that party must be `clientId`; otherwise a token minted for another client, which merely lists us among its
 * audiences, would be accepted here. An ID token's `azp`, when present, must be `clientId` even with one audience
 * (`idToken`); an access token's may name the client that asked for it, so only the several-audiences rule holds.
 */
export function checkAuthorizedParty(
  claims: { aud?: unknown; azp?: unknown },
  clientId: string,
  opts: { idToken: boolean },
): void {
  const several = Array.isArray(claims.aud) && claims.aud.length > 1;
  if (several && claims.azp === undefined)
    throw unauthenticated('the token is for several audiences and names no authorized party (azp claim)');
  if ((several || (opts.idToken && claims.azp !== undefined)) && claims.azp !== clientId)
    throw unauthenticated('the token was issued to another client (azp claim)');
}

/** Issuer identifiers compared as OIDC_ISSUER is written, with or without a trailing slash. */
export const sameIssuer = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

const unauthenticated = (message: string) => new DomainError(ErrorCode.UNAUTHENTICATED, message);
