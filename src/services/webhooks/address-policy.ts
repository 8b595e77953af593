import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Cloud metadata services outside the link-local range (AWS's IPv6 one, Alibaba's). */
const METADATA_ADDRESSES = new Set(['fd00:ec2::254', '100.100.100.200']);

/**
 * Where an address may be sent to: `public` always; `private` (loopback, RFC 1918, unique-local, CGNAT) only with
 * WEBHOOK_ALLOW_PRIVATE_NETWORKS; `forbidden` never: link-local (169.254.0.0/16 and fe80::/10, where cloud metadata
 * services answer), metadata addresses, unspecified, multicast, broadcast, reserved, and IPv6 forms that embed an
 * IPv4 address we could not vouch for.
 */
export function classifyAddress(address: string): 'public' | 'private' | 'forbidden' {
  if (!ipaddr.isValid(address)) return 'forbidden';
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  if (METADATA_ADDRESSES.has(ip.toString())) return 'forbidden';
  switch (ip.range()) {
    case 'unicast':
      return 'public';
    case 'loopback':
    case 'private':
    case 'uniqueLocal':
    case 'carrierGradeNat':
      return 'private';
    default:
      return 'forbidden';
  }
}

const allowed = (address: string, allowPrivate: boolean): boolean => {
  const verdict = classifyAddress(address);
  return verdict === 'public' || (verdict === 'private' && allowPrivate);
};

/** Why `raw` may not be a webhook URL, or null: checked when an endpoint is saved (names are resolved later). */
export function urlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (raw.length > 2000) return 'must be at most 2,000 characters';
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'must be an https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  const host = hostOf(url);
  if (ipaddr.isValid(host) && !allowed(host, allowPrivate))
    return 'must not point at a loopback, private, link-local or metadata address';
  if (!allowPrivate && /^(localhost|.*\.localhost)$/i.test(host)) return 'must not point at a loopback address';
  return null;
}

/** The URL's host without IPv6 brackets. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

export interface CheckedAddress {
  address: string;
  family: number;
}

/** Every address of a name (the system resolver by default; tests give names addresses of their choosing). */
export type NameResolver = (host: string) => Promise<CheckedAddress[]>;

const systemResolver: NameResolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Every address of the URL's host, resolved now and each one checked: one refused address refuses the host (a
 * name that also resolves to an internal address is not sent to). The request then connects only to these (through
 * an agent pinned to them: endpoint-agents.ts).
 */
export async function resolveDeliveryAddresses(
  url: URL,
  allowPrivate: boolean,
  resolveName: NameResolver = systemResolver,
): Promise<CheckedAddress[]> {
  const problem = urlProblem(url.toString(), allowPrivate);
  if (problem) throw new Error(`refused: the URL ${problem}`);
  const host = hostOf(url);
  const addresses = ipaddr.isValid(host)
    ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
    : await resolveName(host);
  if (!addresses.length) throw new Error(`${host} has no address`);
  const refused = addresses.find((a) => !allowed(a.address, allowPrivate));
  if (refused) throw new Error(`refused: ${host} resolves to ${refused.address}, a non-public address`);
  return addresses;
}
