import { type Response, Router } from 'express';
import { type Handler, scimRoute } from './http';
import { queryOf } from './query';
import { bodyObject } from './request';

/** What a SCIM resource type answers: a list (from the query string or a POST .search body) and the CRUD verbs. */
export interface ResourceHandlers {
  list(res: Response, source: Record<string, unknown>): Promise<void>;
  create: Handler;
  get: Handler;
  replace: Handler;
  patch: Handler;
  remove: Handler;
}

/** The list from the query string (`GET /`): the route an IdP's lookup before each create takes. */
export const listRoute = (handlers: ResourceHandlers) => scimRoute((req, res) => handlers.list(res, queryOf(req)));

/** The routes every SCIM resource type has (RFC 7644 §3.3–§3.6), each answering errors as SCIM error bodies. */
export function resourceRouter(handlers: ResourceHandlers): Router {
  const router = Router({ mergeParams: true });
  router.get('/', listRoute(handlers));
  router.post(
    '/.search',
    scimRoute((req, res) => handlers.list(res, bodyObject(req))),
  );
  router.post('/', scimRoute(handlers.create));
  router.get('/:id', scimRoute(handlers.get));
  router.put('/:id', scimRoute(handlers.replace));
  router.patch('/:id', scimRoute(handlers.patch));
  router.delete('/:id', scimRoute(handlers.remove));
  return router;
}
