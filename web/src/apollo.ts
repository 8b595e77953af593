import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError } from '@apollo/client';

/**
 * The console is a GraphQL client of `/graphql` like any other frontend. It authenticates with the session
 * cookie set by the sign-in endpoints (same origin); requests are POSTs with a JSON body, which Apollo
 * Server's CSRF prevention accepts.
 */
export const client = new ApolloClient({
  link: new HttpLink({ uri: '/graphql', credentials: 'same-origin' }),
  cache: new InMemoryCache({
    typePolicies: {
      // Singletons without an id of their own: merge them into their parent instead of replacing.
      Viewer: { keyFields: [] },
      ScimSettings: { keyFields: false, merge: true },
      Organization: { fields: { scim: { merge: true } } },
    },
  }),
  defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
});

/** Whether an error from a query means "not signed in" (no session, or it expired or was revoked). */
export function isUnauthenticated(error: unknown): boolean {
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  if (ServerError.is(error)) return error.statusCode === 401;
  return false;
}

/** Whether an error means the object does not exist or the viewer may not see it. */
export function isNotFound(error: unknown): boolean {
  return (
    CombinedGraphQLErrors.is(error) &&
    error.errors.some((e) => e.extensions?.code === 'NOT_FOUND' || e.extensions?.code === 'FORBIDDEN')
  );
}
