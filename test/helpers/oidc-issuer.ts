import { type AddressInfo } from 'node:net';
import { type Server, createServer } from 'node:http';
import * as jose from 'jose';
import { unique } from './factories';

export type SigningKey = Awaited<ReturnType<typeof jose.generateKeyPair>>['privateKey'];

export interface SignOptions {
  key?: SigningKey;
  issuer?: string;
  audience?: string | string[];
  /** null: no exp claim. */
  expiresIn?: string | null;
  kid?: string;
  /** The subject; a fresh one when absent, null for none. */
  subject?: string | null;
}

export interface OidcIssuer {
  /** The issuer identifier (OIDC_ISSUER): http://127.0.0.1:<port> */
  url: string;
  /** Where the JWKS is served; only the discovery document names it unless it is the conventional path. */
  jwksUrl: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** A key the issuer does not publish. */
  strangerKey: SigningKey;
  sign(claims: Record<string, unknown>, opts?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

/**
 * A local OpenID provider for tests: an RS256 key pair made with jose, `/.well-known/openid-configuration` and the
 * JWKS served over HTTP on 127.0.0.1 (port 0); tokens are signed with its private key.
 */
export async function startOidcIssuer(opts: {
  audience: string;
  jwksPath?: string;
  discoveryIssuer?: string;
}): Promise<OidcIssuer> {
  const pair = await jose.generateKeyPair('RS256');
  const strangerKey = (await jose.generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const jwksPath = opts.jwksPath ?? '/.well-known/jwks.json';
  const requests: string[] = [];
  let url = '';
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') {
      return json({
        issuer: opts.discoveryIssuer ?? url,
        jwks_uri: `${url}${jwksPath}`,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (req.url === jwksPath) return json({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    jwksUrl: `${url}${jwksPath}`,
    requests,
    strangerKey,
    sign(claims, o = {}) {
      let builder = new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'test-key' })
        .setIssuedAt()
        .setIssuer(o.issuer ?? url)
        .setAudience(o.audience ?? opts.audience);
      if (o.subject !== null) builder = builder.setSubject(o.subject ?? `sub-${unique()}`);
      if (o.expiresIn !== null) builder = builder.setExpirationTime(o.expiresIn ?? '5m');
      return builder.sign(o.key ?? pair.privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
