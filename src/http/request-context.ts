import { randomUUID } from 'node:crypto';
import { type NextFunction, type Request, type Response } from 'express';
import { type Orm, inRequestContext } from '../db';

const REQUEST_ID = /^[\w.-]{1,100}$/;

/**
 * The server's own request id, sent back in X-Request-Id and carried in logs and audit events. A caller's
 * X-Request-Id (when sane) is kept beside it as `clientRequestId`, never instead of it: a client must not be able
 * to choose, reuse or collide the id an audit row is traced by.
 */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get('x-request-id');
  const id = randomUUID();
  res.locals.requestId = id;
  if (given && REQUEST_ID.test(given)) res.locals.clientRequestId = given;
  res.setHeader('X-Request-Id', id);
  next();
}

/** One EntityManager fork per request (MikroORM's identity map must not be shared between requests). */
export function entityManagerPerRequest(orm: Orm) {
  return (_req: Request, _res: Response, next: NextFunction) => inRequestContext(orm, next);
}
