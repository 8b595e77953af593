import express, { NextFunction, Request, Response, Router } from 'express';
import { Container } from '../container';
import { rateLimit } from '../http/rate-limit';
import { scimAuth } from './auth';
import { ScimError } from './errors';
import { scimRoute, sendScim, sendScimError } from './http';
import { scimRequestLog } from './request-log';
import { listResponse, resourceTypeDocument, resourceTypeDocuments, schemaDocument, schemaDocuments, serviceProviderConfig } from './schemas';
import { groupsRouter } from './groups.routes';
import { scopeOf, usersRouter } from './users.routes';

export const SCIM_BODY_LIMIT = '1mb';

/** IdPs send doubled slashes (`/scim/v2//Users`); collapse them before routing. */
function collapseSlashes(req: Request, _res: Response, next: NextFunction): void {
  const [path, query] = req.url.split(/\?(.*)/s, 2);
  const collapsed = path.replace(/\/{2,}/g, '/');
  if (collapsed !== path) req.url = query !== undefined ? `${collapsed}?${query}` : collapsed;
  next();
}

/** Body parse failures and oversized bodies as SCIM errors (RFC 7644 §3.12), never HTML or a 500. */
function bodyErrors(err: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction): void {
  if (err.type === 'entity.too.large') return sendScimError(res, new ScimError(413, undefined, `the request body is larger than ${SCIM_BODY_LIMIT}`));
  if (err.type === 'entity.parse.failed') return sendScimError(res, new ScimError(400, 'invalidSyntax', 'the request body is not valid JSON'));
  if (err.status && err.status >= 400 && err.status < 500) return sendScimError(res, new ScimError(err.status, undefined, err.message ?? 'bad request'));
  next(err);
}

/** The SCIM 2.0 adapter: parses and maps, then calls the same services as GraphQL with a SCIM actor. */
export function createScimRouter(container: Container): Router {
  const { services, config, logger } = container;
  const router = Router();
  router.use(collapseSlashes);
  router.use(express.json({ type: ['application/json', 'application/scim+json', 'application/*+json'], limit: SCIM_BODY_LIMIT, strict: false }));
  router.use(bodyErrors);

  const org = Router({ mergeParams: true });
  // Authenticated requests are logged, then counted against the organization's budget (429s are logged too).
  const limit = rateLimit(
    container.rateLimits.scim,
    (_req, res) => (res.locals.scim as { organizationId?: string } | undefined)?.organizationId ?? null,
    (res, seconds) => sendScimError(res, new ScimError(429, undefined, `too many requests for this organization; retry in ${seconds} s`)),
  );
  org.use(scimAuth(services, config.PUBLIC_URL), scimRequestLog(services, logger), limit);
  org.get('/ServiceProviderConfig', scimRoute(async (_req, res) => sendScim(res, 200, serviceProviderConfig(scopeOf(res).baseUrl))));
  org.get('/ResourceTypes', scimRoute(async (_req, res) => {
    const docs = resourceTypeDocuments(scopeOf(res).baseUrl);
    sendScim(res, 200, listResponse(docs));
  }));
  org.get('/ResourceTypes/:name', scimRoute(async (req, res) => {
    const doc = resourceTypeDocument(scopeOf(res).baseUrl, String(req.params.name));
    if (!doc) throw new ScimError(404, undefined, `no resource type "${String(req.params.name).slice(0, 100)}"`);
    sendScim(res, 200, doc);
  }));
  org.get('/Schemas', scimRoute(async (_req, res) => sendScim(res, 200, listResponse(schemaDocuments(scopeOf(res).baseUrl)))));
  org.get('/Schemas/:urn', scimRoute(async (req, res) => {
    const doc = schemaDocument(scopeOf(res).baseUrl, String(req.params.urn));
    if (!doc) throw new ScimError(404, undefined, `no schema "${String(req.params.urn).slice(0, 200)}"`);
    sendScim(res, 200, doc);
  }));
  org.use('/Users', usersRouter(services));
  org.use('/Groups', groupsRouter(services));
  // RFC 7644 §3.7 and §3.11 are optional; say so in SCIM terms rather than 404.
  org.all(['/Me', '/Me/*rest', '/Bulk'], (_req, res) => sendScimError(res, new ScimError(501, undefined, 'not implemented by this service provider')));
  org.use((req, res) => sendScimError(res, new ScimError(404, undefined, `no SCIM endpoint ${req.method} ${req.path.slice(0, 200)}`)));

  router.use('/:organizationId', org);
  router.use((_req, res) => sendScimError(res, new ScimError(404, undefined, 'the SCIM base URL is /scim/v2/{organizationId}')));
  // A bug, not the client's fault: logged with its stack, answered as a masked SCIM 500.
  router.use((err: Error, _req: Request, res: Response, next: NextFunction) => {
    logger.error({ err, requestId: res.locals.requestId }, 'SCIM request failed');
    if (res.headersSent) return next(err);
    sendScimError(res, new ScimError(500, undefined, 'internal error; the request was not applied'));
  });
  return router;
}
