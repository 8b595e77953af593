import { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { clientAddressKey } from '../http/client-address';
import { cookieAllowed } from '../http/cors';
import { type RateLimits, retryAfterSeconds, setLimitHeaders, spend } from '../http/rate-limit';
import { readSessionCookie } from '../http/session-cookie';
import { isDatabaseUnavailable } from '../http/unavailable';
import { type Authenticator } from './auth';
import { type UserActor } from './context';
import { UNAVAILABLE_MESSAGE } from './errors';

/** The actor authenticateRequest stored for the Apollo context. */
export const actorOf = (res: Response): UserActor | undefined => res.locals.actor as UserActor | undefined;

/**
 * Authenticates a GraphQL request once, before its body is read, and spends its rate-limit point:
 * - an authenticated request spends a point of its account's budget, so one token sent in different spellings
 *   of the header (`bearer`, extra spaces) and all of an account's tokens share one budget;
 * - a failed authentication spends a point of the client address's failure budget; an address that has spent
 *   it is answered 429 without another attempt (no token lookup, no signature check) until its window ends
 *   (checked in memory: each instance that has seen the address spend its budget refuses it on its own).
 * Refusals are rendered in GraphQL's error shape, as Apollo would.
 */
export function authenticateRequest(authenticator: Authenticator, limits: RateLimits, publicUrl: string) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const requestId = String(res.locals.requestId ?? '');
    const address = clientAddressKey(req);
    try {
      const blockedMs = await limits.authFailures.blockedMs(address);
      if (blockedMs > 0) {
        const seconds = retryAfterSeconds(blockedMs);
        res.setHeader('Retry-After', String(seconds));
        return tooManyRequests(res, seconds, 'Too many failed authentications from this address');
      }
      let actor: UserActor;
      try {
        // The console's session cookie counts only from its own origin (see cookieAllowed).
        const session = cookieAllowed(req, publicUrl) ? readSessionCookie(req) : undefined;
        actor = await authenticator.authenticate(req.get('authorization'), requestId, session);
      } catch (err) {
        if (!isUnauthenticated(err)) throw err;
        const spent = await spend(limits.authFailures, address);
        if (!spent.allowed) {
          res.setHeader('Retry-After', String(spent.retryAfterSeconds));
          return tooManyRequests(res, spent.retryAfterSeconds, 'Too many failed authentications from this address');
        }
        return sendGraphqlError(res, err);
      }
      const spent = await spend(limits.graphql, actor.userId);
      setLimitHeaders(res, limits.graphql, spent);
      if (!spent.allowed) return tooManyRequests(res, spent.retryAfterSeconds, 'Too many requests');
      res.locals.actor = actor;
      next();
    } catch (err) {
      if (err instanceof GraphQLError) return sendGraphqlError(res, err);
      if (isDatabaseUnavailable(err)) {
        return sendGraphqlError(
          res,
          new GraphQLError(UNAVAILABLE_MESSAGE, { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } } }),
        );
      }
      next(err);
    }
  };
}

const isUnauthenticated = (err: unknown): err is GraphQLError =>
  err instanceof GraphQLError && err.extensions?.code === 'UNAUTHENTICATED';

function tooManyRequests(res: Response, seconds: number, what: string): void {
  res.status(429).json({
    errors: [{ message: `${what}; retry in ${seconds} s.`, extensions: { code: 'RATE_LIMITED', retryAfter: seconds } }],
  });
}

interface HttpExtension {
  status?: number;
  headers?: Iterable<[string, string]>;
}

/** A GraphQLError as Apollo answers one thrown before execution: its `http` status and headers, the rest as the body. */
function sendGraphqlError(res: Response, error: GraphQLError): void {
  const { http, ...extensions } = error.extensions as { http?: HttpExtension };
  for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
  res.status(http?.status ?? 500).json({ errors: [{ message: error.message, extensions }] });
}
