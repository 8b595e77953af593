import express, { type Express } from 'express';
import { type Container } from './container';
import { accessLog } from './http/access-log';
import { createGraphqlRouter } from './graphql/server';
import { createAuthRouter } from './auth/router';
import { DEFAULT_CONSOLE_DIR, consoleRouter } from './http/console';
import { graphqlCors } from './http/cors';
import { createExportRouter } from './export/router';
import { jsonErrorHandler, notFoundHandler } from './http/error-handler';
import { healthRouter } from './http/health';
import { metricsHandler } from './http/metrics';
import { entityManagerPerRequest, requestId } from './http/request-context';
import { securityHeaders } from './http/security-headers';
import { createScimRouter } from './scim/router';

/** The API's paths: the rest (the console, health, 404s) gets helmet itself. */
const API_ROUTES = ['/graphql', '/auth', '/scim'];

export interface App {
  app: Express;
  /** Releases what the app holds besides sockets (Apollo's plugins). */
  stop: () => Promise<void>;
}

export interface AppOptions {
  /** The built console (index.html and assets/); `<package root>/dist/web` unless a test gives its own. */
  consoleDir?: string;
}

/** Builds the Express application; no listening and no timers here (main.ts and tests decide). */
export async function createApp(container: Container, options: AppOptions = {}): Promise<App> {
  const app = express();
  app.disable('x-powered-by');
  // Which X-Forwarded-For hops name the client (rate limits per address); none unless TRUST_PROXY says so.
  app.set('trust proxy', container.config.TRUST_PROXY);
  // API answers set their own validators where they have one (SCIM resources: the version); a hash of every other
  // body (lists, GraphQL) would cost each request and serve no client, as nothing API is cached (no-store below).
  app.set('etag', false);
  // API answers carry personal data and credentials' effects: no browser or proxy keeps one, errors included.
  const headers = securityHeaders(container.config.PUBLIC_URL, { 'Cache-Control': 'no-store' });
  const log = accessLog(container.logger);
  const scim = createScimRouter(container);
  // An IdP's sync (the lookup and the create of every user) goes through the same layers as any API request, in
  // the same order, taken ahead of the router.
  app.use(
    scim.syncFastPath([requestId, headers.api, ...(container.metrics ? [container.metrics.observeHttp] : []), log]),
  );
  app.use(requestId);
  app.use(API_ROUTES, headers.api);
  if (container.metrics) app.use(container.metrics.observeHttp);
  app.use(log);
  // Services open their own unit of work per call; no SCIM or GraphQL code reads a request-wide EntityManager.
  app.use('/scim/v2', scim.router);
  app.use('/auth', entityManagerPerRequest(container.orm), createAuthRouter(container));
  const graphql = await createGraphqlRouter(container);
  const cors = graphqlCors(container.config.CORS_ORIGINS);
  if (cors) app.use('/graphql', cors);
  app.use('/graphql', graphql.router);
  app.use(headers.console);
  app.use('/export', createExportRouter(container));
  app.use(healthRouter(container.orm));
  if (container.metrics && container.config.METRICS_TOKEN)
    app.get('/metrics', metricsHandler(container.metrics, container.config.METRICS_TOKEN));
  app.use(consoleRouter(options.consoleDir ?? DEFAULT_CONSOLE_DIR));
  app.use(notFoundHandler);
  app.use(jsonErrorHandler(container.logger));
  return { app, stop: graphql.stop };
}
