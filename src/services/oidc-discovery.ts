import { sameIssuer } from '../domain/oidc';

/** The parts of an issuer's OpenID Provider Metadata that orgd uses (OpenID Connect Discovery 1.0 §3). */
export interface OidcMetadata {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
}

/** The issuer's metadata could not be fetched or is unusable: an operator's problem, not the caller's. */
export class OidcDiscoveryError extends Error {
  constructor(issuer: string, reason: string) {
    super(`OIDC discovery for ${issuer} failed: ${reason}`);
    this.name = 'OidcDiscoveryError';
  }
}

const TIMEOUT_MS = 5000;
// Metadata changes rarely (the key set itself rotates behind jwks_uri, which jose refetches on an unknown kid).
const CACHE_TTL_MS = 60 * 60_000;
const MAX_BODY = 256 * 1024;

const cache = new Map<string, { until: number; metadata: Promise<OidcMetadata> }>();

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Fetches `$issuer/.well-known/openid-configuration`, cached per issuer for an hour. Concurrent callers share one
 * fetch; a failure is not cached, so the next sign-in tries again.
 */
export function discoverOidc(issuer: string): Promise<OidcMetadata> {
  const key = withoutTrailingSlash(issuer);
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.metadata;
  const metadata = fetchMetadata(issuer);
  cache.set(key, { until: Date.now() + CACHE_TTL_MS, metadata });
  metadata.catch(() => {
    if (cache.get(key)?.metadata === metadata) cache.delete(key);
  });
  return metadata;
}

async function fetchMetadata(issuer: string): Promise<OidcMetadata> {
  const url = `${withoutTrailingSlash(issuer)}/.well-known/openid-configuration`;
  let body: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!res.ok) throw new OidcDiscoveryError(issuer, `${url} answered ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_BODY) throw new OidcDiscoveryError(issuer, 'the metadata document is too large');
    body = JSON.parse(text);
  } catch (err) {
    if (err instanceof OidcDiscoveryError) throw err;
    throw new OidcDiscoveryError(issuer, (err as Error).message);
  }
  return parseMetadata(issuer, body);
}

export function parseMetadata(issuer: string, body: unknown): OidcMetadata {
  if (!body || typeof body !== 'object') throw new OidcDiscoveryError(issuer, 'the metadata is not a JSON object');
  const doc = body as Record<string, unknown>;
  // Discovery §4.3: the document's issuer must be the issuer it was fetched for (else it could be anyone's keys).
  if (typeof doc.issuer !== 'string' || !sameIssuer(doc.issuer, issuer)) {
    throw new OidcDiscoveryError(issuer, 'the metadata names another issuer');
  }
  const jwksUri = httpUrl(doc.jwks_uri);
  if (!jwksUri) throw new OidcDiscoveryError(issuer, 'the metadata has no valid jwks_uri');
  // An https issuer's keys and tokens must come over https too: a plain-http jwks_uri or token_endpoint lets
  // anyone on the path substitute the keys or read the tokens, whatever the issuer's own certificate says.
  if (issuer.startsWith('https:')) {
    for (const field of ['jwks_uri', 'token_endpoint', 'authorization_endpoint'] as const) {
      const value = doc[field];
      if (typeof value === 'string' && httpUrl(value)?.startsWith('http:'))
        throw new OidcDiscoveryError(issuer, `the metadata's ${field} is not https (${value}), but the issuer is`);
    }
  }
  return {
    issuer: doc.issuer,
    jwks_uri: jwksUri,
    ...(httpUrl(doc.authorization_endpoint) ? { authorization_endpoint: httpUrl(doc.authorization_endpoint) } : {}),
    ...(httpUrl(doc.token_endpoint) ? { token_endpoint: httpUrl(doc.token_endpoint) } : {}),
  };
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
