import { type NextFunction, type Request, type Response } from 'express';
import type pino from 'pino';
import { ErrorCode } from '../domain/errors';
import { toDomainError } from './unavailable';

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/**
 * Last-resort JSON error handler: client mistakes that reach it (malformed JSON, oversized bodies)
 * keep their 4xx; a database outage is a 503 (retry later); anything else is a masked 500, logged with its
 * stack, never sent to the client.
 */
export function jsonErrorHandler(logger: pino.Logger) {
  return (err: HttpishError, req: Request, res: Response, _next: NextFunction): void => {
    const domain = toDomainError(err);
    const outage = domain?.code === ErrorCode.UNAVAILABLE ? domain : null;
    const status = outage ? 503 : (err.status ?? err.statusCode ?? 500);
    if (outage) logger.warn({ err, requestId: res.locals.requestId, path: req.path }, 'database unavailable');
    else if (status >= 500) logger.error({ err, requestId: res.locals.requestId, path: req.path }, 'unhandled error');
    if (res.headersSent) return;
    const message = outage
      ? outage.message
      : status < 500 && err.expose !== false
        ? (err.message ?? 'bad request')
        : 'internal server error';
    res.status(status).json({ error: { status, message, requestId: res.locals.requestId } });
  };
}

export function notFoundHandler(_req: Request, res: Response): void {
  res.status(404).json({ error: { status: 404, message: 'not found' } });
}
