import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { type TransportDeps } from '../http/transport-deps';
import { Authenticator } from './auth';
import { type GraphQLContext, createContext } from './context';
import { dispositionOf, formatError, httpHeadersOf, isUnexpected, requestFailure } from './errors';
import { LIMITS, aliasLimitRule, costLimitPlugin, depthLimitRule } from './limits';
import { actorOf, authenticateRequest } from './request-auth';
import { getSchema } from './schema';

/** POST /graphql: Apollo Server over the shared services, every request authenticated (and counted) before its body is read. */
export async function createGraphqlRouter(
  container: TransportDeps,
): Promise<{ router: Router; stop: () => Promise<void> }> {
  const logger = container.logger.child({ component: 'graphql' });
  const authenticator = new Authenticator({ config: container.config, services: container.services, logger });
  const server = new ApolloServer<GraphQLContext>({
    schema: await getSchema(),
    csrfPrevention: true,
    // main.ts owns shutdown (stop accepting, drain, close); Apollo must not install its own signal handlers.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // Introspection is on for tools like codegen; it is behind authentication like everything else.
    introspection: true,
    validationRules: [depthLimitRule(LIMITS.depth), aliasLimitRule(LIMITS.aliases)],
    formatError,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No type sets a cache hint, so every response is uncacheable anyway; the default plugin would still wrap
      // every field's resolver to compute one (the per-field instrumentation is then skipped altogether).
      ApolloServerPluginCacheControlDisabled(),
      costLimitPlugin<GraphQLContext>(LIMITS.cost),
      ...(container.metrics ? [container.metrics.graphqlPlugin] : []),
      {
        async contextCreationDidFail({ error }) {
          // Refusals were answered before Apollo (authenticateRequest): a failure here is worth a log line.
          logger.error({ err: error }, 'GraphQL context creation failed');
        },
        async requestDidStart() {
          return {
            async didResolveOperation({ operation, contextValue }) {
              // Rights are remembered for a query only: a mutation may change them between two of its fields.
              if (operation?.operation !== 'query') contextValue.forgetReadRights();
            },
            async willSendResponse({ response, errors }) {
              // An error about the request itself decides the status: 401 when the account is gone, 503 for an
              // outage (clients and load balancers retry), never 200 or a masked 500.
              const failure = requestFailure(errors ?? []);
              if (!failure) return;
              response.http.status = dispositionOf(failure.code).status;
              for (const [name, value] of Object.entries(httpHeadersOf(failure)))
                response.http.headers.set(name, value);
            },
            async didEncounterErrors({ errors, contextValue }) {
              for (const error of errors) {
                if (isUnexpected(error))
                  logger.error(
                    { err: error.originalError ?? error, path: error.path, requestId: contextValue?.requestId },
                    'GraphQL request failed',
                  );
              }
            },
          };
        },
      },
    ],
  });
  await server.start();

  const router = Router();
  router.all(
    '/',
    authenticateRequest(authenticator, container.rateLimits, container.config),
    express.json({ limit: LIMITS.body }),
    (req: Request, _res: Response, next: NextFunction) => {
      // Requests without a JSON body (GET, text/plain) still reach Apollo, which answers them (CSRF, 400).
      req.body ??= {};
      next();
    },
    expressMiddleware(server, {
      context: async ({ res }) => {
        const actor = actorOf(res);
        // authenticateRequest ran first and answered every refusal: a bug if reached.
        if (!actor) throw new Error('GraphQL request reached Apollo without an authenticated actor');
        const clientRequestId = res.locals.clientRequestId as string | undefined;
        return createContext(
          container.services,
          clientRequestId ? { ...actor, clientRequestId } : actor,
          String(res.locals.requestId ?? ''),
        );
      },
    }),
  );
  router.use(bodyErrors);
  return { router, stop: () => server.stop() };
}

/** Body-parser failures, answered in GraphQL's error shape (413 for a body over the limit, 400 for bad JSON). */
function bodyErrors(err: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction): void {
  if (!err.status || err.status >= 500 || res.headersSent) return next(err);
  const tooLarge = err.type === 'entity.too.large';
  res.status(err.status).json({
    errors: [
      {
        message: tooLarge ? `The request body is larger than ${LIMITS.body}.` : 'The request body is not valid JSON.',
        extensions: { code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST' },
      },
    ],
  });
}
