import cors from 'cors';
import { type Request, type RequestHandler } from 'express';
import { type Config } from '../config';

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

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The origins the console is served from: PUBLIC_URL's, exactly, when it is set. Unset, the server runs at
 * http://localhost:PORT for whoever started it, and a newcomer may as well open http://127.0.0.1:PORT or
 * http://[::1]:PORT: the loopback spellings of that port are the same console.
 */
export function consoleOrigins(config: Pick<Config, 'PUBLIC_URL' | 'PUBLIC_URL_SET'>): string[] {
  const own = new URL(config.PUBLIC_URL);
  if (config.PUBLIC_URL_SET) return [own.origin];
  return LOOPBACK_HOSTS.map((host) => {
    const url = new URL(own);
    url.hostname = host;
    return url.origin;
  });
}

/** The session cookie counts only on requests from the console's own origins (or from no browser origin at all). */
export function cookieAllowed(req: Request, origins: readonly string[]): boolean {
  const origin = req.get('origin');
  return origin === undefined || origins.includes(origin);
}
