import { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { rateLimited } from '../domain/errors';
import { clientAddressKey } from '../http/client-address';
import { retryAfterSeconds, spend } from '../http/rate-limit';
import { isCallerFailure } from './errors';

export interface SignInLimitOptions {
  /** Sign-in attempts per client address (IPv6 per /64) per window. */
  addressPoints: number;
  /** Attempts per target (an e-mail address, a presented secret) per window, whichever addresses they come from. */
  targetPoints: number;
  windowSeconds: number;
}

/** How a sign-in request counts: each request (it sends mail) or only a failed one (it presents a secret). */
export type Attempt = { counts: 'request' | 'failure'; target: string | null };

const MESSAGE = 'Too many sign-in attempts';
/** Characters of a presented secret that name it as a target: its kind (`orgd_`, `inv_`, `sil_`) and a few more. */
const SECRET_TARGET_CHARS = 12;
const KEYS = Symbol('signInKeys');

type Key = [limiter: RateLimiterMemory, key: string];

/** A normalized e-mail address as a target (trimmed, case-folded: one inbox, one budget). */
export const emailTarget = (email: unknown): string | null =>
  typeof email === 'string' && email.trim() ? `email:${email.trim().toLowerCase().slice(0, 320)}` : null;

/**
 * A presented secret as a target, by its first characters: the same secret retried from many addresses shares one
 * budget, while a made-up one cannot spend anyone else's (a real secret's first characters are random past its kind).
 */
export const secretTarget = (secret: unknown): string | null =>
  typeof secret === 'string' && secret ? `secret:${secret.slice(0, SECRET_TARGET_CHARS)}` : null;

/**
 * The sign-in endpoints' budgets, per client address and per target, in memory (per instance).
 * - A request for a sign-in link costs a mail whoever asks: each one counts, per address and per e-mail, and is
 *   refused 429 once either is spent (so mail to one inbox stays bounded however many addresses ask).
 * - A request presenting a secret (an access token, a link or invitation token) is handled first; only when it
 *   fails does it count, per address and per the secret's first characters, and a failure once the budget is spent
 *   is answered 429 instead of its own error. A valid secret is never refused for what others behind the same
 *   address got wrong; every secret is 256 random bits (generateSecret), so answering a right guess gives nothing
 *   away that guessing could reach.
 * - The OIDC callback counts its failures per address, only when the browser brings a flow cookie (set by
 *   /auth/oidc/start, SameSite=Lax): a cross-site `<img>` brings none, so it cannot spend anyone's budget. An
 *   address that spent it is sent back to the sign-in page before its callback costs a call to the identity
 *   provider. /auth/oidc/start itself is not counted: it only redirects, and any page can make a browser load it.
 * Requests that present nothing are not counted anywhere: they guess nothing.
 */
export function createSignInLimits(options: SignInLimitOptions) {
  const byAddress = new RateLimiterMemory({
    keyPrefix: 'signin',
    points: options.addressPoints,
    duration: options.windowSeconds,
  });
  const byTarget = new RateLimiterMemory({
    keyPrefix: 'signin-target',
    points: options.targetPoints,
    duration: options.windowSeconds,
  });
  const keysOf = (req: Request, target: string | null): Key[] => [
    [byAddress, clientAddressKey(req)],
    ...(target ? [[byTarget, target] as Key] : []),
  ];

  /** Seconds to wait when any key has spent its budget (nothing spent); 0 when all may go on. */
  const blockedSeconds = async (keys: Key[]): Promise<number> => {
    let ms = 0;
    for (const [limiter, key] of keys) {
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= limiter.points) ms = Math.max(ms, state.msBeforeNext);
    }
    return ms > 0 ? retryAfterSeconds(ms) : 0;
  };

  /** Spends a point on every key unless one is already spent: seconds to wait when refused, else 0. */
  const spendAll = async (keys: Key[]): Promise<number> => {
    const blocked = await blockedSeconds(keys);
    if (blocked) return blocked;
    let wait = 0;
    for (const [limiter, key] of keys) {
      const spent = await spend(limiter, key);
      if (!spent.allowed) wait = Math.max(wait, spent.retryAfterSeconds);
    }
    return wait;
  };

  /** Before a sign-in POST's handler (after its body is parsed): counts it now, or notes what a failure will count. */
  const attempts =
    (attemptOf: (req: Request) => Attempt): RequestHandler =>
    (req, res, next) => {
      const { counts, target } = attemptOf(req);
      const keys = keysOf(req, target);
      if (counts === 'failure') {
        (res.locals as Record<symbol, Key[]>)[KEYS] = keys;
        return next();
      }
      spendAll(keys).then((wait) => next(wait ? rateLimited(wait, MESSAGE) : undefined), next);
    };

  /** Error middleware after the routes: a failed secret spends its keys, and is answered 429 once they are spent. */
  const failures: ErrorRequestHandler = (err, _req, res, next) => {
    const keys = (res.locals as Record<symbol, Key[] | undefined>)[KEYS];
    if (!keys || !isCallerFailure(err)) return next(err);
    spendAll(keys).then((wait) => next(wait ? rateLimited(wait, MESSAGE) : err), next);
  };

  /**
   * Before the OIDC callback: with a flow cookie (`hasFlow`), refused by `refuse` once the address spent its
   * budget, and counted when `failed(res)` says its answer is a failure.
   */
  const callback =
    (
      hasFlow: (req: Request) => boolean,
      failed: (res: Response) => boolean,
      refuse: (res: Response, seconds: number) => void,
    ): RequestHandler =>
    (req, res, next) => {
      if (!hasFlow(req)) return next();
      const keys = keysOf(req, null);
      blockedSeconds(keys).then((wait) => {
        if (wait) return refuse(res, wait);
        res.on('finish', () => {
          if (failed(res)) void spendAll(keys).catch(() => undefined);
        });
        next();
      }, next);
    };

  return { attempts, failures, callback };
}
