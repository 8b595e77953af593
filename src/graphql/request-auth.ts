import { type NextFunction, type Request, type Response } from 'express';
import { ErrorCode, type DomainError, rateLimited } from '../domain/errors';
import { clientAddressKey } from '../http/client-address';
import { type Config } from '../config';
import { consoleOrigins, cookieAllowed } from '../http/cors';
import { type RateLimits, retryAfterSeconds, setLimitHeaders, spend } from '../http/rate-limit';
import { readSessionCookie } from '../auth/session-cookie';
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
 * - a request that presents no credential at all (no Authorization header, no session cookie) is answered 401 and
 *   counts for nothing: it guesses nothing, and any web page can make a browser send one (an `<img>` pointing here),
 *   so counting it would let a stranger's page spend the failure budget of a whole office behind one address;
 * - a credential that fails spends a point of the client address's failure budget (IPv6 per /64); once the budget
 *   is spent, the address's failures are answered 429 until its window ends (checked in memory first: an instance
 *   that has seen the address spend its budget refuses its failures without a store round trip).
 * The credential is always checked before the address's budget, so a valid token or session is never refused for
 * what others behind the same address (an office's NAT, an IPv6 /64) got wrong. The budget then does not hide
 * whether a guess was right, and need not: every secret is 256 random bits (see generateSecret), which no rate of
 * guessing reaches, and a JWT needs the issuer's signature. What the budget is for is a flood of made-up
 * credentials: each costs at most one indexed lookup (malformed ones none, see Authenticator), the same as a valid
 * request, and, once the address is blocked, no counter write.
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
    try {
      let actor: UserActor;
      // The console's session cookie counts only from its own origin (see cookieAllowed).
      const session = cookieAllowed(req, origins) ? readSessionCookie(req, config.PUBLIC_URL) : undefined;
      const authorization = req.get('authorization');
      try {
        actor = await authenticator.authenticate(authorization, requestId, session);
      } catch (err) {
        if (toDomainError(err)?.code !== ErrorCode.UNAUTHENTICATED) throw err;
        if (!authorization && !session) throw err; // nothing presented: not an attempt
        throw await failedAttempt(limits, clientAddressKey(req), err);
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

/** The answer to a failed credential: its own 401 while the address has budget left, 429 once it has none. */
async function failedAttempt(limits: RateLimits, address: string, failure: unknown): Promise<unknown> {
  const blockedMs = await limits.authFailures.blockedMs(address);
  if (blockedMs > 0) return rateLimited(retryAfterSeconds(blockedMs), FAILURES);
  const spent = await spend(limits.authFailures, address);
  return spent.allowed ? failure : rateLimited(spent.retryAfterSeconds, FAILURES);
}

function refuse(res: Response, err: DomainError): void {
  const { status, headers, body } = refusal(err);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).json(body);
}
