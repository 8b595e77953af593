import type pino from 'pino';
import * as jose from 'jose';
import { type Config } from '../config';
import { type Services } from '../services/services';
import { CredentialOrigin } from '../domain/credential-lineage';
import { DomainError, ErrorCode, forbidden, unauthenticated, unavailable } from '../domain/errors';
import { type OidcClaims, checkAuthorizedParty, oidcIdentity } from '../domain/oidc';
import { OidcDiscoveryError, discoverOidc } from '../services/oidc-discovery';
import { type UserActor } from './context';

type KeySet = ReturnType<typeof jose.createRemoteJWKSet>;

const BEARER = /^Bearer[ ]+([\x21-\x7e]{1,4096})[ ]*$/i;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
/** What an access token or session secret can look like (generateSecret: `<prefix>_<base64url>`); others fail unread. */
const SECRET_SHAPE = /^[\w-]{1,200}$/;
// Asymmetric algorithms only: the keys come from the issuer's public JWKS.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const SESSION_REFUSED = 'The session has expired or was signed out; sign in again.';
const USER_CACHE_TTL_MS = 5 * 60_000;
const USER_CACHE_MAX = 1000;

interface OidcSettings {
  issuer: string;
  audience: string;
  /** OIDC_JWKS_URL; unset, the issuer's discovery document names it. */
  jwksUrl?: string;
}

/**
 * Turns `Authorization: Bearer ...` into the acting user: an opaque access token (looked up by hash),
 * or, when OIDC_ISSUER/OIDC_AUDIENCE are set, a JWT verified against the issuer's JWKS (signature,
 * iss, aud, exp) whose (issuer, subject) is bound to an account (services.identity decides which).
 * Refusals are domain errors (UNAUTHENTICATED, FORBIDDEN, UNAVAILABLE), rendered by the GraphQL error mapper.
 */
export class Authenticator {
  private keySet?: Promise<KeySet>;
  private readonly users = new Map<string, { id: string; email: string; until: number }>();

  constructor(private readonly deps: { config: Config; services: Services; logger: pino.Logger }) {}

  private get oidc(): OidcSettings | null {
    const { OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL: jwksUrl } = this.deps.config;
    if (!issuer || !audience) return null;
    return { issuer, audience, jwksUrl };
  }

  async authenticate(authorization: string | undefined, requestId: string, sessionSecret?: string): Promise<UserActor> {
    // A browser session (the console) when no Authorization header is sent; an explicit header always wins.
    if (!authorization && sessionSecret) {
      if (!SECRET_SHAPE.test(sessionSecret)) throw unauthenticated(SESSION_REFUSED);
      return this.fromSession(sessionSecret, requestId);
    }
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token) throw unauthenticated('Authentication required: send "Authorization: Bearer <access token>".');
    const oidc = this.oidc;
    if (oidc && JWT_SHAPE.test(token)) return this.fromJwt(token, oidc, requestId);
    // A malformed token costs no lookup: a flood of them is answered from the request alone.
    const principal = SECRET_SHAPE.test(token) ? await this.deps.services.tokens.authenticate(token) : null;
    if (!principal) throw unauthenticated('The access token is invalid, expired or revoked.');
    return {
      kind: 'USER',
      userId: principal.userId,
      email: principal.email,
      requestId,
      credential: { kind: CredentialOrigin.ACCESS_TOKEN, id: principal.tokenId },
    };
  }

  private async fromSession(secret: string, requestId: string): Promise<UserActor> {
    const session = await this.deps.services.sessions.authenticate(secret);
    if (!session) throw unauthenticated(SESSION_REFUSED);
    return {
      kind: 'USER',
      userId: session.user.id,
      email: session.user.email,
      requestId,
      sessionId: session.id,
      credential: { kind: CredentialOrigin.SESSION, id: session.id },
    };
  }

  // One key set per process: jose caches the keys and refetches them when a token names an unknown key id.
  private keySetFor(oidc: OidcSettings): Promise<KeySet> {
    if (this.keySet) return this.keySet;
    const keySet = (async () => {
      const url = oidc.jwksUrl ?? (await discoverOidc(oidc.issuer)).jwks_uri;
      return jose.createRemoteJWKSet(new URL(url), { timeoutDuration: 5000 });
    })();
    // A failed discovery is not kept: the next request tries again.
    keySet.catch(() => {
      if (this.keySet === keySet) this.keySet = undefined;
    });
    this.keySet = keySet;
    return keySet;
  }

  private async fromJwt(token: string, oidc: OidcSettings, requestId: string): Promise<UserActor> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jose.jwtVerify(token, await this.keySetFor(oidc), {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
        clockTolerance: 30,
      }));
    } catch (err) {
      if (
        err instanceof OidcDiscoveryError ||
        !(err instanceof jose.errors.JOSEError) ||
        err instanceof jose.errors.JWKSTimeout
      ) {
        // The issuer's metadata or key set could not be fetched: not the caller's fault, and worth an operator's look.
        this.deps.logger.warn({ err: (err as Error).message, requestId }, 'OIDC key set unavailable');
        throw unavailable('The identity provider could not be reached to verify the token; retry later.');
      }
      this.deps.logger.debug({ reason: err.code, requestId }, 'JWT rejected');
      throw unauthenticated('The token is invalid or expired.');
    }
    const claims = payload as unknown as OidcClaims;
    try {
      checkAuthorizedParty(payload, oidc.audience, { idToken: false });
      // Checked on every token, cached or not: a subject bound earlier still needs an acceptable token.
      const identity = oidcIdentity(claims, { trustUnverifiedEmail: this.deps.config.OIDC_TRUST_UNVERIFIED_EMAIL });
      const user = await this.userFor(`${identity.issuer}\n${identity.subject}`, claims, requestId);
      // `exp` is required and verified above: what this JWT creates ends no later than it.
      const expiresAt = new Date(Number(payload.exp) * 1000);
      return {
        kind: 'USER',
        userId: user.id,
        email: user.email,
        requestId,
        credential: { kind: CredentialOrigin.OIDC, id: null, expiresAt },
      };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.deps.logger.info({ reason: err.code, message: err.message, requestId }, 'OIDC sign-in refused');
      if (err.code === ErrorCode.FORBIDDEN) throw forbidden(`The token was refused: ${err.message}.`);
      throw unauthenticated(`The token was refused: ${err.message}.`);
    }
  }

  // A login is a read for the caller: the account lookup (and the binding on first login) is cached briefly,
  // keyed by (issuer, subject), the identity itself; the binding never changes once made.
  private async userFor(key: string, claims: OidcClaims, requestId: string): Promise<{ id: string; email: string }> {
    const cached = this.users.get(key);
    if (cached && cached.until > Date.now()) return cached;
    const user = await this.deps.services.identity.userForOidcClaims(claims, requestId);
    if (this.users.size >= USER_CACHE_MAX) this.users.clear();
    const entry = { id: user.id, email: user.email, until: Date.now() + USER_CACHE_TTL_MS };
    this.users.set(key, entry);
    return entry;
  }
}
