import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  ServerError,
  ServerParseError,
} from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { reportReachable, reportSessionEnded } from './connection';

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

const GATEWAY_ERRORS = [502, 503, 504];

const isForbidden = (error: unknown): boolean =>
  CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'FORBIDDEN');

/**
 * Whether the request never reached orgd: no answer at all (fetch failed), or a gateway in front of it answered
 * 502, 503 or 504. Shown once, by the connection banner, not by each page.
 */
export function isUnreachable(error: unknown): boolean {
  if (ServerError.is(error)) return GATEWAY_ERRORS.includes(error.statusCode);
  if (CombinedGraphQLErrors.is(error) || ServerParseError.is(error)) return false;
  return error instanceof TypeError || (error instanceof Error && error.name === 'TypeError');
}

/** The organization header query carries the viewer's permissions: read again after a refusal. */
const PERMISSIONS_QUERY = 'OrganizationHeader';
/** Operations whose fields are refused as a matter of course (read with errorPolicy 'all'): no news there. */
const EXPECTS_REFUSALS = new Set([PERMISSIONS_QUERY, 'Organizations']);

const errors = new ErrorLink(({ error, operation }) => {
  if (isUnauthenticated(error)) reportSessionEnded();
  // A FORBIDDEN means the viewer's permissions changed since the page read them (a role taken away).
  else if (isForbidden(error) && !EXPECTS_REFUSALS.has(operation.operationName ?? ''))
    void client.refetchQueries({ include: [PERMISSIONS_QUERY] });
});

/** fetch, reporting whether orgd answered: any answer of its own means it is reachable (again). */
async function reportingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  try {
    const response = await fetch(input, init);
    reportReachable(!GATEWAY_ERRORS.includes(response.status));
    return response;
  } catch (err) {
    reportReachable(false);
    throw err;
  }
}

/**
 * The console is a GraphQL client of `/graphql` like any other frontend. It authenticates with the session
 * cookie set by the sign-in endpoints (same origin); requests are POSTs with a JSON body, which Apollo
 * Server's CSRF prevention accepts.
 */
export const client: ApolloClient = new ApolloClient({
  link: ApolloLink.from([errors, new HttpLink({ uri: '/graphql', credentials: 'same-origin', fetch: reportingFetch })]),
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
