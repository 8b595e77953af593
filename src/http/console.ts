import express, { type NextFunction, type Request, type Response, Router } from 'express';
import path from 'node:path';

const projectRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..');

/** Where `npm run build:web` writes the console: `<package root>/dist/web`. */
export const DEFAULT_CONSOLE_DIR = path.join(projectRoot, 'dist', 'web');

/** Paths that belong to the API, never to the console's client-side routes. */
const API_PATHS = /^\/(graphql|scim|auth|export|healthz|readyz|metrics)(\/|$)/;

const NOT_BUILT = 'The console is not built: run `npm run build:web` (or `npm ci`), then reload.\n';

/**
 * The browser console: hashed files under /assets are immutable (their name changes with their content),
 * index.html is revalidated on every load, and any other page a browser asks for gets index.html so that
 * client-side routes (`/invitations/accept?token=…`, `/sign-in/link?token=…`) survive a reload.
 */
export function consoleRouter(dir: string): Router {
  const router = Router();
  const index = path.join(dir, 'index.html');

  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: false,
      redirect: false,
    }),
    // A missing asset is a 404, never index.html (a script tag must not receive HTML).
    (err: { status?: number }, _req: Request, res: Response, next: NextFunction) => {
      if (err.status !== 404) return next(err);
      res.status(404).type('text/plain').send('not found\n');
    },
  );
  // Top-level files of the build (favicon, robots.txt): stable names, so revalidated.
  router.use(
    express.static(dir, {
      index: false,
      redirect: false,
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );

  router.get(/.*/, (req, res, next) => {
    if (API_PATHS.test(req.path) || req.accepts(['json', 'html']) !== 'html') return next();
    res.sendFile(
      index,
      { headers: { 'Cache-Control': 'no-cache' }, dotfiles: 'deny' },
      (err?: NodeJS.ErrnoException) => {
        if (!err) return;
        if (res.headersSent) return next(err);
        if (err.code === 'ENOENT' || (err as { status?: number }).status === 404) {
          res.status(404).type('text/plain').set('Cache-Control', 'no-cache').send(NOT_BUILT);
          return;
        }
        next(err);
      },
    );
  });
  // `/` is the console's address even for a client that does not ask for HTML (curl): say how to build it.
  router.get('/', (_req, res) => {
    res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } }, (err?: NodeJS.ErrnoException) => {
      if (err && !res.headersSent) res.status(404).type('text/plain').set('Cache-Control', 'no-cache').send(NOT_BUILT);
    });
  });
  return router;
}
