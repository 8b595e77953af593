import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as jose from 'jose';
import { DomainError } from '../domain/errors';
import { SignInCode, SignInFailure } from '../domain/sign-in-errors';
import { checkAuthorizedParty } from '../domain/oidc';
import { safeReturnTo } from '../domain/return-to';
import { SignInMethod } from '../domain/session-rules';
import { BaseService, type ServiceDeps } from './base';
import { type IdentityService } from './identity.service';
import { OidcDiscoveryError, discoverOidc } from './oidc-discovery';
import { type SessionService } from './session.service';
import { type SignedIn } from './sign-in.service';

type KeySet = ReturnType<typeof jose.createRemoteJWKSet>;

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const TIMEOUT_MS = 5000;

/** state, nonce and PKCE verifier, each derived from the flow secret the browser holds in a short-lived cookie. */
function derive(flowSecret: string, label: 'state' | 'nonce' | 'verifier'): string {
  return createHmac('sha256', flowSecret).update(label).digest('base64url');
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export interface OidcStart {
  /** The issuer's authorization endpoint with the request's parameters. */
  redirectUrl: string;
  /** The value of the flow cookie (HttpOnly, 10 minutes): nothing about the flow is kept on the server. */
  flowCookie: string;
}

/**
 * Browser sign-in with the OIDC issuer: authorization code flow with PKCE (S256), state and nonce. The flow's
 * secrets are derived from one random value kept only in the browser's HttpOnly cookie, so any instance can
 * finish a flow another one started, and a callback without that cookie (another browser, a forged link) fails.
 */
export class OidcSignInService extends BaseService {
  private keySets = new Map<string, KeySet>();

  constructor(
    deps: ServiceDeps,
    private readonly services: { identity: IdentityService; sessions: SessionService },
  ) {
    super(deps);
  }

  get enabled(): boolean {
    return Boolean(this.deps.config.OIDC_ISSUER && this.deps.config.OIDC_CLIENT_ID);
  }

  private get redirectUri(): string {
    return `${this.deps.config.PUBLIC_URL}/auth/oidc/callback`;
  }

  private settings(): { issuer: string; clientId: string; clientSecret?: string } {
    const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = this.deps.config;
    if (!issuer || !clientId)
      throw new SignInFailure(SignInCode.OIDC_NOT_CONFIGURED, 'Sign-in with the identity provider is not configured.');
    return { issuer, clientId, clientSecret };
  }

  async begin(returnTo: unknown): Promise<OidcStart> {
    const { issuer, clientId } = this.settings();
    const metadata = await this.metadata(issuer);
    if (!metadata.authorization_endpoint)
      throw new SignInFailure(SignInCode.OIDC_UNAVAILABLE, 'The identity provider names no authorization endpoint.');
    const flowSecret = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(derive(flowSecret, 'verifier')).digest('base64url');
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      state: derive(flowSecret, 'state'),
      nonce: derive(flowSecret, 'nonce'),
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return {
      redirectUrl: url.toString(),
      flowCookie: `${flowSecret}.${Buffer.from(safeReturnTo(returnTo)).toString('base64url')}`,
    };
  }

  /** The callback: checks state, exchanges the code with the PKCE verifier, verifies the ID token, opens a session. */
  async complete(
    query: { code?: unknown; state?: unknown; error?: unknown },
    flowCookie: string | undefined,
    userAgent: string | undefined,
    requestId?: string,
    /** The session the browser had, whoever's it was: revoked with the new one's opening. */
    replacedSecret?: string,
  ): Promise<SignedIn & { returnTo: string }> {
    const { issuer, clientId, clientSecret } = this.settings();
    const [flowSecret, encodedReturnTo] = (flowCookie ?? '').split('.');
    if (!flowSecret || typeof query.state !== 'string' || !sameText(query.state, derive(flowSecret, 'state'))) {
      throw new SignInFailure(
        SignInCode.OIDC_STATE_MISMATCH,
        'The sign-in could not be matched to this browser; start again.',
      );
    }
    if (query.error !== undefined)
      throw new SignInFailure(SignInCode.OIDC_DENIED, 'The identity provider did not sign you in.');
    if (typeof query.code !== 'string' || !query.code || query.code.length > 2000)
      throw new SignInFailure(SignInCode.OIDC_FAILED, 'The identity provider sent no authorization code.');
    const metadata = await this.metadata(issuer);
    if (!metadata.token_endpoint)
      throw new SignInFailure(SignInCode.OIDC_UNAVAILABLE, 'The identity provider names no token endpoint.');

    const idToken = await this.exchange(
      metadata.token_endpoint,
      query.code,
      derive(flowSecret, 'verifier'),
      clientId,
      clientSecret,
    );
    const claims = await this.verifyIdToken(
      idToken,
      metadata.issuer,
      metadata.jwks_uri,
      clientId,
      derive(flowSecret, 'nonce'),
    );
    let user;
    try {
      user = await this.services.identity.userForOidcClaims(claims, requestId);
    } catch (err) {
      if (err instanceof DomainError) throw new SignInFailure(SignInCode.OIDC_FORBIDDEN, err.message);
      throw err;
    }
    const opened = await this.services.sessions.open(user, SignInMethod.OIDC, userAgent, requestId, replacedSecret);
    return {
      ...opened,
      user: { id: user.id, email: user.email },
      returnTo: safeReturnTo(Buffer.from(encodedReturnTo ?? '', 'base64url').toString()),
    };
  }

  private async metadata(issuer: string) {
    try {
      return await discoverOidc(issuer);
    } catch (err) {
      if (!(err instanceof OidcDiscoveryError)) throw err;
      this.deps.logger.warn({ err: err.message }, 'OIDC discovery failed');
      throw new SignInFailure(SignInCode.OIDC_UNAVAILABLE, 'The identity provider could not be reached; retry later.');
    }
  }

  private async exchange(
    tokenEndpoint: string,
    code: string,
    verifier: string,
    clientId: string,
    clientSecret?: string,
  ): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.redirectUri,
      code_verifier: verifier,
      client_id: clientId,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    // client_secret_basic (RFC 6749 §2.3.1): both parts form-encoded before base64.
    if (clientSecret)
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
    let res: Response;
    try {
      res = await fetch(tokenEndpoint, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error).message }, 'OIDC token endpoint unreachable');
      throw new SignInFailure(SignInCode.OIDC_UNAVAILABLE, 'The identity provider could not be reached; retry later.');
    }
    const json = (await res.json().catch(() => null)) as { id_token?: unknown; error?: unknown } | null;
    if (!res.ok || typeof json?.id_token !== 'string') {
      // The provider's error code only (invalid_grant, invalid_client): its description may echo request data.
      this.deps.logger.warn(
        { status: res.status, error: typeof json?.error === 'string' ? json.error.slice(0, 100) : null },
        'OIDC code exchange refused',
      );
      throw new SignInFailure(SignInCode.OIDC_FAILED, 'The identity provider refused the sign-in; start again.');
    }
    return json.id_token;
  }

  private async verifyIdToken(idToken: string, issuer: string, jwksUri: string, clientId: string, nonce: string) {
    let keySet = this.keySets.get(jwksUri);
    if (!keySet) {
      keySet = jose.createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: TIMEOUT_MS });
      this.keySets.set(jwksUri, keySet);
    }
    try {
      const { payload } = await jose.jwtVerify(idToken, keySet, {
        issuer,
        audience: clientId,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 30,
      });
      if (typeof payload.nonce !== 'string' || !sameText(payload.nonce, nonce))
        throw new SignInFailure(SignInCode.OIDC_FAILED, 'The ID token was not issued for this sign-in.');
      try {
        checkAuthorizedParty(payload, clientId, { idToken: true });
      } catch (err) {
        this.deps.logger.warn({ reason: (err as Error).message }, 'OIDC ID token rejected');
        throw new SignInFailure(SignInCode.OIDC_FAILED, 'The ID token was not issued to this application.');
      }
      return { ...payload, iss: payload.iss!, sub: payload.sub! };
    } catch (err) {
      if (err instanceof SignInFailure) throw err;
      this.deps.logger.warn(
        { reason: (err as { code?: string }).code ?? (err as Error).message },
        'OIDC ID token rejected',
      );
      throw new SignInFailure(SignInCode.OIDC_FAILED, 'The ID token could not be verified.');
    }
  }
}
