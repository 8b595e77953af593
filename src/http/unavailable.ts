import { DomainError, unavailable } from '../domain/errors';

/**
 * True when an error means "the database is not reachable right now" (stopped, restarting, pool
 * exhausted): the transports answer 503 at once instead of a 500 or a hang.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string; name?: string; cause?: unknown } | null;
  if (!e) return false;
  const codes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    '57P01',
    '57P02',
    '57P03',
    '08000',
    '08001',
    '08003',
    '08006',
  ];
  if (e.code && codes.includes(e.code)) return true;
  const message = e.message ?? '';
  if (
    /Timeout acquiring a connection|Connection terminated|connect ECONNREFUSED|the database system is (starting up|shutting down)|terminating connection due to administrator command/i.test(
      message,
    )
  ) {
    return true;
  }
  return e.cause ? isDatabaseUnavailable(e.cause) : false;
}

/**
 * What a thrown value means in the domain vocabulary, or null for a bug. Every transport's error mapper starts
 * here, so a database outage becomes the domain UNAVAILABLE error in this one place, wherever it surfaced: in a
 * service, in the request's own EntityManager, in an authentication lookup or in the rate limiter's store, paths
 * that share no service boundary, but all end in a mapper.
 */
export function toDomainError(err: unknown): DomainError | null {
  if (err instanceof DomainError) return err;
  if (isDatabaseUnavailable(err)) return unavailable();
  return null;
}
