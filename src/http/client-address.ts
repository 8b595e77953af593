import { type Request } from 'express';
import ipaddr from 'ipaddr.js';

/**
 * The client's address as a rate-limit key. `req.ip` is the socket's address, or the forwarded one when the
 * request came through a proxy that TRUST_PROXY names. An IPv6 client is keyed by its /64 network: one host
 * commonly holds a whole /64 and could otherwise take a fresh address (and a fresh budget) for every request.
 */
export function clientAddressKey(req: Request): string {
  const ip = req.ip;
  if (!ip || !ipaddr.isValid(ip)) return 'unknown';
  const address = ipaddr.process(ip); // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address
  if (!(address instanceof ipaddr.IPv6)) return address.toString();
  const network = address.parts.slice(0, 4).map((part) => part.toString(16));
  return `${network.join(':')}::/64`;
}
