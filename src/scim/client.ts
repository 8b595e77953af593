import { type Request } from 'express';

/** User-Agent fragments (lower case) and the IdP each names. */
const KNOWN_AGENTS: readonly [string, string][] = [
  ['okta', 'okta'],
  ['google-auto-provisioning', 'google'],
  ['jumpcloud', 'jumpcloud'],
  ['onelogin', 'onelogin'],
  ['ping', 'ping'],
  ['rippling', 'rippling'],
  ['azure', 'entra'],
  ['microsoft', 'entra'],
];

/**
 * Names the IdP behind a request, for the provisioning log only; behaviour never depends on it.
 * Entra sends no telling User-Agent but an `Adscimversion` header.
 */
export function detectClient(req: Request): string | null {
  if (req.get('adscimversion')) return 'entra';
  const ua = (req.get('user-agent') ?? '').toLowerCase();
  return KNOWN_AGENTS.find(([needle]) => ua.includes(needle))?.[1] ?? null;
}
