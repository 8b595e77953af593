import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import { Config } from '../config';
import { Services } from '../container';
import { DomainError, ErrorCode } from '../domain/errors';
import { User } from '../entities';
import { UserActor } from './context';
import { Jose, loadJose } from './esm';

type KeySet = ReturnType<Jose['createRemoteJWKSet']>;

const BEARER = /^Bearer[ ]+([\x21-\x7e]{1,4096})[ ]*$/i;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
// Asymmetric algorithms only: the keys come from the issuer's public JWKS.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const USER_CACHE_TTL_MS = 5 * 60_000;
const USER_CACHE_MAX = 1000;

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer realm="orgd"']]) } },
  });
}

const unavailable = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } } });

/**
 * Turns `Authorization: Bearer ...` into the acting user: an opaque access token (looked up by hash),
 * or, when OIDC_ISSUER/OIDC_AUDIENCE are set, a JWT verified against the issuer's JWKS (signature,
 * iss, aud, exp) whose email maps to an account, created on first login.
 */
export class Authenticator {
  private keySet?: KeySet;
  private readonly users = new Map<string, { id: string; email: string; until: number }>();

  constructor(private readonly deps: { config: Config; services: Services; logger: pino.Logger }) {}

  private get oidc(): { issuer: string; audience: string; jwksUrl: string } | null {
    const { OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL } = this.deps.config;
    if (!issuer || !audience) return null;
    return { issuer, audience, jwksUrl: OIDC_JWKS_URL ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json` };
  }

  async authenticate(authorization: string | undefined, requestId: string, sessionSecret?: string): Promise<UserActor> {
    // A browser session (the console) when no Authorization header is sent; an explicit header always wins.
    if (!authorization && sessionSecret) return this.fromSession(sessionSecret, requestId);
    const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token) throw unauthenticated('Authentication required: send "Authorization: Bearer <access token>".');
    const oidc = this.oidc;
    if (oidc && JWT_SHAPE.test(token)) return this.fromJwt(token, oidc, requestId);
    const user = await this.deps.services.tokens.verify(token);
    if (!user) throw unauthenticated('The access token is invalid or revoked.');
    return { kind: 'USER', userId: user.id, email: user.email, requestId };
  }

  private async fromSession(secret: string, requestId: string): Promise<UserActor> {
    const session = await this.deps.services.sessions.authenticate(secret);
    if (!session) throw unauthenticated('The session has expired or was signed out; sign in again.');
    return { kind: 'USER', userId: session.user.id, email: session.user.email, requestId, sessionId: session.id };
  }

  private async fromJwt(token: string, oidc: { issuer: string; audience: string; jwksUrl: string }, requestId: string): Promise<UserActor> {
    const jose = await loadJose();
    this.keySet ??= jose.createRemoteJWKSet(new URL(oidc.jwksUrl), { timeoutDuration: 5000 });
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jose.jwtVerify(token, this.keySet, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
        clockTolerance: 30,
      }));
    } catch (err) {
      if (!(err instanceof jose.errors.JOSEError) || err instanceof jose.errors.JWKSTimeout) {
        // The issuer's key set could not be fetched: not the caller's fault, and worth an operator's look.
        this.deps.logger.warn({ err: (err as Error).message, requestId }, 'OIDC key set unavailable');
        throw unavailable('The identity provider could not be reached to verify the token; retry later.');
      }
      this.deps.logger.debug({ reason: err.code, requestId }, 'JWT rejected');
      throw unauthenticated('The token is invalid or expired.');
    }
    const email = typeof payload.email === 'string' ? payload.email : null;
    if (!email || payload.email_verified === false) throw unauthenticated('The token carries no verified email address.');
    const name = typeof payload.name === 'string' ? payload.name.slice(0, 200) : null;
    const user = await this.userFor(email, name);
    return { kind: 'USER', userId: user.id, email: user.email, requestId };
  }

  // A login is a read for the caller: the account lookup (and creation on first login) is cached briefly.
  private async userFor(email: string, name: string | null): Promise<{ id: string; email: string }> {
    const key = email.toLowerCase();
    const cached = this.users.get(key);
    if (cached && cached.until > Date.now()) return cached;
    const user = await this.findOrCreateUser(email, name);
    if (this.users.size >= USER_CACHE_MAX) this.users.clear();
    const entry = { id: user.id, email: user.email, until: Date.now() + USER_CACHE_TTL_MS };
    this.users.set(key, entry);
    return entry;
  }

  private async findOrCreateUser(email: string, name: string | null, retry = true): Promise<User> {
    try {
      return await this.deps.services.tokens.userForEmail(email, name);
    } catch (err) {
      // Two first logins at once: the loser finds the account the winner created.
      if (err instanceof DomainError && err.code === ErrorCode.DUPLICATE_EMAIL && retry) return this.findOrCreateUser(email, name, false);
      if (err instanceof DomainError) throw unauthenticated('The token carries no valid email address.');
      throw err;
    }
  }
}
