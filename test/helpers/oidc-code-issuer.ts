import { createHash, randomBytes } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import * as jose from 'jose';

export interface OidcUser {
  sub: string;
  email: string;
  email_verified?: boolean;
  name?: string;
}

export interface OidcCodeIssuer {
  url: string;
  /** Who "signs in" at the next /authorize (the provider's login page, skipped). */
  user: OidcUser;
  /** Makes the next /authorize answer error=access_denied (the person clicked "Cancel"). */
  deny: boolean;
  /** Token requests the issuer refused, with its reason. */
  refusals: string[];
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => resolve(body));
  });

/**
 * A local OpenID provider speaking the authorization code flow with PKCE as RFC 6749/7636 and OpenID Connect Core
 * define it: /authorize checks the client and its redirect URI and issues a one-time code bound to the S256
 * challenge, /token authenticates the client (client_secret_basic), checks the verifier and the redirect URI, and
 * returns an RS256 ID token with the request's nonce, published keys at jwks_uri.
 */
export async function startOidcCodeIssuer(client: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}): Promise<OidcCodeIssuer> {
  const pair = await jose.generateKeyPair('RS256');
  const jwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'code-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<
    string,
    { redirectUri: string; challenge: string; nonce: string | null; user: OidcUser; used: boolean }
  >();
  let url = '';
  const issuer: OidcCodeIssuer = {
    url: '',
    user: { sub: 'sub-1', email: 'person@example.test', email_verified: true },
    deny: false,
    refusals: [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(body));
    const requestUrl = new URL(req.url ?? '/', url);
    if (requestUrl.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: url,
        jwks_uri: `${url}/jwks`,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (requestUrl.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (requestUrl.pathname === '/authorize' && req.method === 'GET') {
      const p = requestUrl.searchParams;
      if (p.get('client_id') !== client.clientId || p.get('redirect_uri') !== client.redirectUri)
        return json(400, { error: 'invalid_request' });
      const back = new URL(client.redirectUri);
      back.searchParams.set('state', p.get('state') ?? '');
      if (issuer.deny) {
        back.searchParams.set('error', 'access_denied');
      } else {
        if (
          p.get('response_type') !== 'code' ||
          p.get('code_challenge_method') !== 'S256' ||
          !p.get('code_challenge') ||
          !p.get('scope')?.split(' ').includes('openid')
        ) {
          return json(400, { error: 'invalid_request' });
        }
        const code = randomBytes(16).toString('hex');
        codes.set(code, {
          redirectUri: p.get('redirect_uri')!,
          challenge: p.get('code_challenge')!,
          nonce: p.get('nonce'),
          user: { ...issuer.user },
          used: false,
        });
        back.searchParams.set('code', code);
      }
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (requestUrl.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const refuse = (error: string, why: string) => {
        issuer.refusals.push(why);
        return json(400, { error });
      };
      const expected = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return refuse('invalid_client', 'client authentication');
      const grant = codes.get(form.get('code') ?? '');
      if (form.get('grant_type') !== 'authorization_code' || !grant) return refuse('invalid_grant', 'unknown code');
      if (grant.used) return refuse('invalid_grant', 'code reused');
      grant.used = true;
      if (form.get('redirect_uri') !== grant.redirectUri) return refuse('invalid_grant', 'redirect_uri');
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
        return refuse('invalid_grant', 'PKCE verifier');
      const idToken = await new jose.SignJWT({ ...grant.user, ...(grant.nonce ? { nonce: grant.nonce } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid: 'code-key' })
        .setIssuer(url)
        .setAudience(client.clientId)
        .setSubject(grant.user.sub)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(pair.privateKey);
      return json(200, {
        access_token: randomBytes(16).toString('hex'),
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken,
      });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer.url = url;
  return issuer;
}
