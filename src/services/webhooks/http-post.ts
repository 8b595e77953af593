import http from 'node:http';
import https from 'node:https';
import { type LookupFunction } from 'node:net';
import { type CheckedAddress } from './address-policy';

export interface PostResult {
  status: number;
  durationMs: number;
}

/**
 * POSTs `body` to `url`, connecting only to `addresses` (checked beforehand: a second DNS answer between the check
 * and the connection, a rebinding, is never used). Redirects are not followed (a 3xx is a failed attempt), and the
 * whole exchange is bounded by `timeoutMs`.
 */
export function postTo(
  url: URL,
  addresses: CheckedAddress[],
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const started = Date.now();
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
  return new Promise<PostResult>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup,
      agent: false,
    });
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    request.once('response', (response) => {
      // The body is not read: only the status counts, and a receiver's answer is not ours to keep.
      response.resume();
      response.once('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, durationMs: Date.now() - started });
      });
      response.once('error', () => undefined);
      response.once('close', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, durationMs: Date.now() - started });
      });
    });
    request.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    request.end(body);
  });
}
