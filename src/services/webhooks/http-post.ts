import http from 'node:http';
import https from 'node:https';

export interface PostResult {
  status: number;
  durationMs: number;
}

/**
 * POSTs `body` to `url` through `agent` (an endpoint's keep-alive agent, which connects only to the addresses
 * checked for this delivery). Redirects are not followed (a 3xx is a failed attempt), and the whole exchange,
 * a retry included, is bounded by `timeoutMs`.
 *
 * A receiver may close an idle keep-alive connection just as a delivery is written to it; the request then fails
 * with a reset before any answer. That attempt is made once more on a new connection: the receiver cannot have
 * acted on a request it never read, and a duplicate is harmless anyway (receivers deduplicate on webhook-id).
 */
export async function postTo(
  url: URL,
  agent: http.Agent,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const started = Date.now();
  try {
    return await postOnce(url, agent, headers, body, timeoutMs, started);
  } catch (err) {
    if (!(err instanceof StaleSocketError)) throw err;
    return postOnce(url, agent, headers, body, timeoutMs - (Date.now() - started), started);
  }
}

/** A reused keep-alive socket was found closed by the receiver before it answered. */
class StaleSocketError extends Error {}

const STALE_CODES = new Set(['ECONNRESET', 'EPIPE']);

function postOnce(
  url: URL,
  agent: http.Agent,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  started: number,
): Promise<PostResult> {
  return new Promise<PostResult>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent,
    });
    let answered = false;
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    const done = (response: http.IncomingMessage) => {
      clearTimeout(timer);
      resolve({ status: response.statusCode ?? 0, durationMs: Date.now() - started });
    };
    request.once('response', (response) => {
      answered = true;
      // The body is not read: only the status counts, and a receiver's answer is not ours to keep.
      response.resume();
      response.once('end', () => done(response));
      response.once('error', () => undefined);
      response.once('close', () => done(response));
    });
    request.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const stale = request.reusedSocket && !answered && STALE_CODES.has(err.code ?? '');
      reject(stale ? new StaleSocketError(err.message) : err);
    });
    request.end(body);
  });
}
