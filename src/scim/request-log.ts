import { NextFunction, Request, Response } from 'express';
import pino from 'pino';
import { Services } from '../container';

/** The query string without values that could carry secrets; filters stay (they are what admins debug). */
function loggedPath(req: Request): string {
  const url = req.originalUrl;
  return url.length > 1000 ? `${url.slice(0, 997)}...` : url;
}

/**
 * Records every authenticated SCIM request in the organization's provisioning log once the response
 * is sent: method, path, client, status, duration and what changed or the error detail. Never bodies.
 */
export function scimRequestLog(services: Services, logger: pino.Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const scope = res.locals.scim as { organizationId: string; client: string | null } | undefined;
      if (!scope) return;
      services.scimRequestLog
        .record({
          organizationId: scope.organizationId,
          method: req.method,
          path: loggedPath(req),
          client: scope.client,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          summary: (res.locals.scimSummary as string | undefined) ?? null,
          requestId: (res.locals.requestId as string | undefined) ?? null,
        })
        .catch((err: Error) => logger.warn({ err: err.message }, 'could not record SCIM request'));
    });
    next();
  };
}
