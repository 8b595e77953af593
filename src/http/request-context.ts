import { randomUUID } from 'node:crypto';
import { RequestContext } from '@mikro-orm/core';
import { NextFunction, Request, Response } from 'express';
import { Orm } from '../db';

const REQUEST_ID = /^[\w.-]{1,100}$/;

/** A request id (the caller's X-Request-Id when it is sane) echoed back and carried in logs and audit events. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.get('x-request-id');
  const id = given && REQUEST_ID.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
}

/** One EntityManager fork per request (MikroORM's identity map must not be shared between requests). */
export function entityManagerPerRequest(orm: Orm) {
  return (_req: Request, _res: Response, next: NextFunction) => RequestContext.create(orm.em, next);
}
