import cors from 'cors';
import { type Request, type RequestHandler } from 'express';

/**
 * CORS for /graphql: the listed origins (CORS_ORIGINS) may call it with `Authorization: Bearer`. Credentials are
 * never allowed cross-origin, and the session cookie is ignored on requests from another origin
 * (`cookieAllowed`), so a listed site can never act with a console user's session.
 */
export function graphqlCors(origins: string[]): RequestHandler | null {
  if (!origins.length) return null;
  return cors({
    origin: origins,
    credentials: false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name'],
    exposedHeaders: ['retry-after', 'ratelimit-limit', 'ratelimit-remaining'],
    maxAge: 600,
  });
}

/** The session cookie counts only on requests from the console's own origin (or from no browser origin at all). */
export function cookieAllowed(req: Request, publicUrl: string): boolean {
  const origin = req.get('origin');
  return origin === undefined || origin === new URL(publicUrl).origin;
}
