import { type NextFunction, type Request, type Response } from 'express';
import { ErrorCode, type DomainError, rateLimited } from '../domain/errors';
import { clientAddressKey } from '../http/client-address';
import { type Config } from '../config';
import { consoleOrigins, cookieAllowed } from '../http/cors';
import { type RateLimits, retryAfterSeconds, setLimitHeaders, spend } from '../http/rate-limit';
import { readSessionCookie } from '../http/session-cookie';
import { toDomainError } from '../http/unavailable';
import { type Authenticator } from './auth';
import { type UserActor } from './context';
import { refusal } from './errors';

/** The actor authenticateRequest stored for the Apollo context. */
export const actorOf = (res: Response): UserActor | undefined => res.locals.actor as UserActor | undefined;

const FAILURES = 'Too many failed authentications from this address';

/**
 * Authenticates a GraphQL request once, before its body is read, and spends its rate-limit point:
 * - an authenticated request spends a point of its account's budget, so one token sent in different spellings
 *   of the header (`bearer`, extra spaces) and all of an account's tokens share one budget;
 * - a failed authentication spends a point of the client address's failure budget; an address that has spent
 *   it is answered 429 without another attempt (no token lookup, no signature check) until its window ends
 *   (checked in memory: each instance that has seen the address spend its budget refuses it on its own).
 * Refusals are domain errors (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, UNAVAILABLE), answered by the GraphQL
 * error mapper in GraphQL's error shape, as Apollo would.
 */
export function authenticateRequest(
  authenticator: Authenticator,
  limits: RateLimits,
  config: Pick<Config, 'PUBLIC_URL' | 'PUBLIC_URL_SET'>,
) {
  const origins = consoleOrigins(config);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const requestId = String(res.locals.requestId ?? '');
    const address = clientAddressKey(req);
    try {
      const blockedMs = await limits.authFailures.blockedMs(address);
      if (blockedMs > 0) throw rateLimited(retryAfterSeconds(blockedMs), FAILURES);
      let actor: UserActor;
      try {
        // The console's session cookie counts only from its own origin (see cookieAllowed).
        const session = cookieAllowed(req, origins) ? readSessionCookie(req, config.PUBLIC_URL) : undefined;
        actor = await authenticator.authenticate(req.get('authorization'), requestId, session);
      } catch (err) {
        if (toDomainError(err)?.code !== ErrorCode.UNAUTHENTICATED) throw err;
        const spent = await spend(limits.authFailures, address);
        throw spent.allowed ? err : rateLimited(spent.retryAfterSeconds, FAILURES);
      }
      const spent = await spend(limits.graphql, actor.userId);
      setLimitHeaders(res, limits.graphql, spent);
      if (!spent.allowed) throw rateLimited(spent.retryAfterSeconds, 'Too many requests');
      res.locals.actor = actor;
      next();
    } catch (err) {
      const domain = toDomainError(err);
      if (domain) return refuse(res, domain);
      next(err);
    }
  };
}

function refuse(res: Response, err: DomainError): void {
  const { status, headers, body } = refusal(err);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).json(body);
}
