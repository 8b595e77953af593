import { type IncomingMessage } from 'node:http';
import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from 'express';
import { type TransportDeps } from '../http/transport-deps';
import { rateLimited } from '../domain/errors';
import { rateLimit } from '../http/rate-limit';
import { scimAuth } from './auth';
import { scimErrorFromDomain, toScimError } from './protocol/error-mapping';
import { ScimError } from './protocol/errors';
import { scimRoute, sendScim, sendScimError } from './protocol/http';
import { scopeIfAuthenticated, scopeOf } from './protocol/request';
import { scimRequestLog } from './request-log';
import {
  listResponse,
  resourceTypeDocument,
  resourceTypeDocuments,
  schemaDocument,
  schemaDocuments,
  serviceProviderConfig,
} from './protocol/schemas';
import { GROUP_RESOURCE } from './groups/group-attributes';
import { groupsRouter } from './groups/groups.routes';
import { USER_RESOURCE } from './users/user-attributes';
import { userSyncRoutes, usersRouter } from './users/users.routes';

export const SCIM_BODY_LIMIT = '1mb';

/** The resource types this endpoint serves, as /ResourceTypes and /Schemas describe them. */
const RESOURCES = [USER_RESOURCE, GROUP_RESOURCE];

/**
 * Before routing: IdPs send doubled slashes (`/scim/v2//Users`), collapsed here; and the query string is parsed
 * once (Express parses it again on every read of `req.query`, which a SCIM request reads several times).
 */
function normalizeRequest(req: Request, _res: Response, next: NextFunction): void {
  if (req.url.includes('//')) {
    const [path, query] = req.url.split(/\?(.*)/s, 2);
    const collapsed = path.replace(/\/{2,}/g, '/');
    if (collapsed !== path) req.url = query !== undefined ? `${collapsed}?${query}` : collapsed;
  }
  Object.defineProperty(req, 'query', { value: req.query, configurable: true, enumerable: true, writable: true });
  next();
}

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

/**
 * Client mistakes that Express and body-parser report as errors (malformed JSON, oversized or badly encoded bodies,
 * a `%`-escape that does not decode in a route parameter) as SCIM errors (RFC 7644 §3.12), never HTML or a 500.
 * Null for anything else, which is a bug.
 */
function clientError(err: HttpishError): ScimError | null {
  if (err.type === 'entity.too.large')
    return new ScimError(413, undefined, `the request body is larger than ${SCIM_BODY_LIMIT}`);
  if (err.type === 'entity.parse.failed')
    return new ScimError(400, 'invalidSyntax', 'the request body is not valid JSON');
  const status = err.status ?? err.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ScimError(
      status,
      status === 400 ? 'invalidSyntax' : undefined,
      err.expose === false ? 'bad request' : (err.message ?? 'bad request'),
    );
  }
  return null;
}

function bodyErrors(err: HttpishError, _req: Request, res: Response, next: NextFunction): void {
  const scimError = clientError(err);
  if (scimError) return sendScimError(res, scimError);
  next(err);
}

/**
 * JSON bodies: `application/scim+json` (RFC 7644 §3.1), `application/json` (Google, Okta's spec test) and any
 * `+json` type; a body sent without any Content-Type is read as JSON too rather than silently dropped.
 */
const JSON_TYPE = /^\s*(?:application\/(?:[\w.-]+\+)?json|text\/json)\s*(?:;|$)/i;
const parseAsJson = (req: IncomingMessage): boolean => {
  const type = req.headers['content-type'];
  return type === undefined || type.trim() === '' || JSON_TYPE.test(type);
};

const NUL = '\u0000';

/** Whether a parsed JSON value holds U+0000 in a key or string (bounded depth: nothing deeper is ever stored). */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (value === null || typeof value !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes(NUL) || holdsNul(v, depth + 1));
}

/**
 * PostgreSQL text cannot hold U+0000 (nor can jsonb): a body or query parameter carrying it is refused here with a
 * 400, instead of failing in the database as a 500 that the IdP would retry forever.
 */
function rejectNul(req: Request, res: Response, next: NextFunction): void {
  const query = req.query as Record<string, unknown>;
  const inQuery = Object.entries(query).find(([k, v]) => k.includes(NUL) || holdsNul(v));
  if (inQuery) {
    const scimType = inQuery[0].toLowerCase() === 'filter' ? 'invalidFilter' : 'invalidValue';
    return sendScimError(
      res,
      new ScimError(
        400,
        scimType,
        `query parameter "${inQuery[0].replaceAll('\u0000', '')}" contains the NUL character (U+0000)`,
      ),
    );
  }
  if (holdsNul(req.body))
    return sendScimError(
      res,
      new ScimError(400, 'invalidValue', 'the request body contains the NUL character (U+0000)'),
    );
  next();
}

export type Layer = RequestHandler | ErrorRequestHandler;

/**
 * Runs `layers` in order as one Express router would (a handler that takes four arguments only after an error, a
 * thrown error or a rejected promise passed on as one), then `done` with the error left, if any.
 */
function runLayers(layers: Layer[], req: Request, res: Response, done: (err?: unknown) => void): void {
  let index = 0;
  const next = (err?: unknown): void => {
    const failed = err !== undefined && err !== null;
    while (index < layers.length) {
      const layer = layers[index++];
      if (failed !== (layer.length === 4)) continue;
      try {
        const result: unknown = failed
          ? (layer as ErrorRequestHandler)(err, req, res, next)
          : (layer as RequestHandler)(req, res, next);
        if (result instanceof Promise) result.catch((rejected: unknown) => next(rejected ?? new Error('rejected')));
      } catch (thrown) {
        next(thrown);
      }
      return;
    }
    done(failed ? err : undefined);
  };
  next();
}

/**
 * As Express's router does once a request gets past the middleware to its route: `req.route` names it, which is how
 * the metrics label a request by its route template (`/scim/v2/:id/Users`) rather than as unmatched.
 */
const reached =
  (route: RequestHandler): RequestHandler =>
  (req, res, next) => {
    req.route = { path: req.url.split('?', 1)[0] };
    return route(req, res, next);
  };

/** `/scim/v2/{organizationId}/Users` with an optional trailing slash and a query string, as the routers match it. */
const SYNC_PATH = /^\/scim\/v2\/([^/?]+)\/Users\/?(?:\?|$)/;

/**
 * The two requests an IdP's sync makes for every user — `GET /scim/v2/{org}/Users?filter=…` (the lookup before each
 * create) and `POST /scim/v2/{org}/Users` — taken ahead of the application's router: the application's own layers
 * (`before`: request id, security headers, metrics, access log), then the SCIM router's middleware and handlers, in
 * the same order as the routers give them, without Express matching every application layer and the three nested
 * routers (each trims and restores the path and merges parameters per request). Anything else, or a path the
 * routers would answer otherwise (an undecodable parameter), goes on to the application's router.
 */
function syncFastPath(
  before: Layer[],
  layers: Layer[],
  routes: { list: RequestHandler; create: RequestHandler },
  errors: ErrorRequestHandler,
): RequestHandler {
  const list = [...before, ...layers, reached(routes.list)];
  const create = [...before, ...layers, reached(routes.create)];
  return (req, res, next) => {
    const chain = req.method === 'GET' ? list : req.method === 'POST' ? create : null;
    const match = chain ? SYNC_PATH.exec(req.url) : null;
    if (!chain || !match) return next();
    let organizationId: string;
    try {
      organizationId = decodeURIComponent(match[1]);
    } catch {
      return next();
    }
    req.params = { organizationId };
    // Every route answers or fails: one that did neither is a bug, answered as one rather than run again.
    runLayers(chain, req, res, (err) => {
      if (err) errors(err, req, res, next);
      else if (!res.headersSent) errors(new Error('the SCIM route sent no answer'), req, res, next);
    });
  };
}

/** The SCIM adapter's two entries: the router under `/scim/v2`, and its sync fast path ahead of the application. */
export interface ScimRouting {
  router: Router;
  /** The sync's two requests, run after `before` (the application's layers of every API request, in order). */
  syncFastPath: (before: Layer[]) => RequestHandler;
}

/** The SCIM 2.0 adapter: parses and maps, then calls the same services as GraphQL with a SCIM actor. */
export function createScimRouter(container: TransportDeps): ScimRouting {
  const { services, config, logger } = container;
  const router = Router();

  const org = Router({ mergeParams: true });
  // Authenticated requests are logged, then counted against the organization's budget (429s are logged too).
  const limit = rateLimit(
    container.rateLimits.scim,
    (_req, res) => scopeIfAuthenticated(res)?.organizationId ?? null,
    (res, seconds) =>
      sendScimError(res, scimErrorFromDomain(rateLimited(seconds, 'too many requests for this organization'))),
  );
  // The body is read only once the key is accepted and the request is within budget: an anonymous caller
  // gets its 401 without the service parsing up to SCIM_BODY_LIMIT of JSON first.
  const body = [express.json({ type: parseAsJson, limit: SCIM_BODY_LIMIT, strict: false }), bodyErrors];
  const perOrganization: Layer[] = [
    scimAuth(services, config.PUBLIC_URL, logger),
    scimRequestLog(services, logger),
    limit,
    ...body,
    rejectNul,
  ];
  org.use(...perOrganization);
  org.get(
    '/ServiceProviderConfig',
    scimRoute(async (_req, res) => sendScim(res, 200, serviceProviderConfig(scopeOf(res).baseUrl))),
  );
  org.get(
    '/ResourceTypes',
    scimRoute(async (_req, res) => {
      const docs = resourceTypeDocuments(RESOURCES, scopeOf(res).baseUrl);
      sendScim(res, 200, listResponse(docs));
    }),
  );
  org.get(
    '/ResourceTypes/:name',
    scimRoute(async (req, res) => {
      const doc = resourceTypeDocument(RESOURCES, scopeOf(res).baseUrl, String(req.params.name));
      if (!doc) throw new ScimError(404, undefined, `no resource type "${String(req.params.name).slice(0, 100)}"`);
      sendScim(res, 200, doc);
    }),
  );
  org.get(
    '/Schemas',
    scimRoute(async (_req, res) => sendScim(res, 200, listResponse(schemaDocuments(RESOURCES, scopeOf(res).baseUrl)))),
  );
  org.get(
    '/Schemas/:urn',
    scimRoute(async (req, res) => {
      const doc = schemaDocument(RESOURCES, scopeOf(res).baseUrl, String(req.params.urn));
      if (!doc) throw new ScimError(404, undefined, `no schema "${String(req.params.urn).slice(0, 200)}"`);
      sendScim(res, 200, doc);
    }),
  );
  org.use('/Users', usersRouter(services));
  org.use('/Groups', groupsRouter(services, config.SCIM_MEMBERS_PER_RESPONSE));
  // RFC 7644 §3.7 and §3.11 are optional; say so in SCIM terms rather than 404.
  org.all(['/Me', '/Me/*rest', '/Bulk'], (_req, res) =>
    sendScimError(res, new ScimError(501, undefined, 'not implemented by this service provider')),
  );
  org.use((req, res) =>
    sendScimError(res, new ScimError(404, undefined, `no SCIM endpoint ${req.method} ${req.path.slice(0, 200)}`)),
  );

  // A bug, not the client's fault: logged with its stack, answered as a masked SCIM 500.
  const errors: ErrorRequestHandler = (err: Error & HttpishError, _req, res, next) => {
    if (res.headersSent) return next(err);
    // A domain error or a database outage that a middleware let through is still the client's answer, not a bug.
    const scimError = clientError(err) ?? toScimError(err);
    if (scimError) return sendScimError(res, scimError);
    logger.error({ err, requestId: res.locals.requestId }, 'SCIM request failed');
    sendScimError(res, new ScimError(500, undefined, 'internal error; the request was not applied'));
  };
  router.use(normalizeRequest);
  router.use('/:organizationId', org);
  router.use((_req, res) =>
    sendScimError(res, new ScimError(404, undefined, 'the SCIM base URL is /scim/v2/{organizationId}')),
  );
  router.use(errors);
  const syncRoutes = userSyncRoutes(services);
  return {
    router,
    syncFastPath: (before) => syncFastPath(before, [normalizeRequest, ...perOrganization], syncRoutes, errors),
  };
}
