import { type NextFunction, type Request, type Response } from 'express';
import type pino from 'pino';

/** Probes that would drown the log: answered, never logged. */
const UNLOGGED = new Set(['/healthz', '/readyz']);

/**
 * The access log: one line per request at `info` once its answer is sent (or the client went away first):
 * `req` (method, path without the query string, which can carry filters with personal data, and the request id),
 * `res` (status), `responseTime` in ms; "request completed", or "request errored" with an `err` for a 5xx.
 * The same line pino-http wrote, without a child logger made per request: below `info` a request costs one check.
 */
export function accessLog(logger: pino.Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!logger.isLevelEnabled('info')) return next();
    const url = req.url;
    if (UNLOGGED.has(url)) return next();
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const started = Date.now();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const line: Record<string, unknown> = {
        req: { method: req.method, path, id: res.locals.requestId as string | undefined },
        res: { statusCode: res.statusCode },
        responseTime: Date.now() - started,
      };
      if (res.statusCode >= 500) {
        line.err = new Error(`failed with status code ${res.statusCode}`);
        logger.info(line, 'request errored');
      } else logger.info(line, 'request completed');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
