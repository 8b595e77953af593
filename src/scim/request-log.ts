import { type NextFunction, type Request, type Response } from 'express';
import type pino from 'pino';
import { type Services } from '../services/services';
import { type ScimRequestRecord } from '../services/scim-request-log.service';
import { namedTargetOf, scopeIfAuthenticated, summaryOf, warningOf } from './protocol/request';

/** The query string without values that could carry secrets; filters stay (they are what admins debug). */
function loggedPath(req: Request): string {
  const url = req.originalUrl;
  return url.length > 1000 ? `${url.slice(0, 997)}...` : url;
}

/**
 * Writes this request into the organization's provisioning log once its status is set: method, path, client,
 * status, duration, what changed or the error detail, and which key it authenticated with (its id and hint, and
 * whether it was the current or the previous key: after a rotation, the log shows when the IdP switched). Never a
 * body or a credential.
 */
export function recordScimRequest(
  services: Services,
  logger: pino.Logger,
  req: Request,
  res: Response,
  entry: {
    organizationId: string;
    client: string | null;
    durationMs: number;
    summary: string | null;
    path?: string;
    apiKey?: ScimRequestRecord['apiKey'];
    target?: ScimRequestRecord['target'];
    warning?: string | null;
  },
): void {
  services.scimRequestLog
    .record({
      ...entry,
      method: req.method,
      path: entry.path ?? loggedPath(req),
      status: res.statusCode,
      requestId: (res.locals.requestId as string | undefined) ?? null,
    })
    .catch((err: Error) => logger.warn({ err: err.message }, 'could not record SCIM request'));
}

/** `/Users/{id}` or `/Groups/{id}` in the URL: the member or group the request concerned. */
const RESOURCE_IN_PATH = /\/(Users|Groups)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=[/?]|$)/i;

/** What the request concerned: what the route named (a creation), else the resource in its URL. */
function targetOf(req: Request, res: Response): ScimRequestRecord['target'] {
  const named = namedTargetOf(res);
  if (named) return named;
  const match = RESOURCE_IN_PATH.exec(req.originalUrl);
  if (!match) return null;
  return { type: match[1].toLowerCase() === 'users' ? 'member' : 'group', id: match[2].toLowerCase() };
}

/** Records every authenticated SCIM request in the organization's provisioning log once the response is sent. */
export function scimRequestLog(services: Services, logger: pino.Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const scope = scopeIfAuthenticated(res);
      if (!scope) return;
      recordScimRequest(services, logger, req, res, {
        organizationId: scope.organizationId,
        client: scope.client,
        apiKey: scope.apiKey,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        summary: summaryOf(res),
        warning: warningOf(res),
        target: targetOf(req, res),
      });
    });
    next();
  };
}
