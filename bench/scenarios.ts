import { randomBytes } from 'node:crypto';
import { type LoadResult, runLoad } from './load';
import {
  deactivateBody,
  looksLikeListResponse,
  person,
  resourceId,
  scimBase,
  userBody,
  userLookupPath,
} from './scim-payloads';

export interface ScimTarget {
  port: number;
  org: string;
  key: string;
}

const scimHeaders = (key: string) => ({ Authorization: `Bearer ${key}`, Accept: 'application/scim+json' });
const JSON_BODY = { 'Content-Type': 'application/scim+json' };

/** (a) `GET /Users?filter=userName eq "..."`: half existing users (random sample), half missing ones. */
export function lookupLoad(
  t: ScimTarget,
  userNames: string[],
  connections: number,
  duration: number,
): Promise<LoadResult> {
  let n = 0;
  return runLoad({
    port: t.port,
    connections,
    duration,
    headers: scimHeaders(t.key),
    next: () => {
      n++;
      const userName =
        n % 2 === 0 && userNames.length
          ? userNames[Math.floor(Math.random() * userNames.length)]
          : `missing-${randomBytes(6).toString('hex')}@idp.example`;
      return { method: 'GET', path: userLookupPath(t.org, userName) };
    },
    // A lookup that answers 200 with something other than a list response is an error.
    inspect: (status, body) => status === 200 && !looksLikeListResponse(body),
  });
}

/** (b) `POST /Users`, a unique user per request; the ids of the created users are collected for the wave. */
export async function createLoad(
  t: ScimTarget,
  prefix: string,
  connections: number,
  duration: number,
): Promise<LoadResult & { ids: string[] }> {
  let n = 0;
  const ids: string[] = [];
  const result = await runLoad({
    port: t.port,
    connections,
    duration,
    headers: scimHeaders(t.key),
    next: () => ({
      method: 'POST',
      path: `${scimBase(t.org)}/Users`,
      headers: JSON_BODY,
      body: JSON.stringify(userBody(person(prefix, n++))),
    }),
    inspect: (status, body) => {
      if (status !== 201) return false;
      let id: string | undefined;
      try {
        id = resourceId(JSON.parse(body));
      } catch {
        id = undefined;
      }
      if (id) ids.push(id);
      return !id;
    },
  });
  return { ...result, ids };
}

/** (b) The deprovisioning wave: `PATCH /Users/{id}` `replace active=false`, once per id. */
export function deactivateLoad(
  t: ScimTarget,
  ids: string[],
  connections: number,
  capSeconds: number,
): Promise<LoadResult> {
  let n = 0;
  const body = JSON.stringify(deactivateBody);
  return runLoad({
    port: t.port,
    connections: Math.min(connections, Math.max(1, ids.length)),
    duration: capSeconds,
    amount: Math.max(1, ids.length),
    headers: scimHeaders(t.key),
    next: () => ({
      method: 'PATCH',
      path: `${scimBase(t.org)}/Users/${ids[n++ % ids.length]}`,
      headers: JSON_BODY,
      body,
    }),
  });
}

export const MEMBERS_PAGE_QUERY = `query BenchMembersPage($id: ID!, $after: String) {
  organization(id: $id) {
    members(first: 100, after: $after) {
      nodes { id email groups(first: 10) { nodes { id displayName } } }
      pageInfo { endCursor hasNextPage }
    }
  }
}`;

export interface PageWalk {
  pages: number;
  /** Walks that reached the last page. */
  completedWalks: number;
  nodes: number;
  firstError?: string;
}

/**
 * (e) GraphQL members pages with their groups, walking forward with `after`. Each connection walks its own
 * chain of cursors (a shared queue: a response hands its endCursor to the next request), restarting at the
 * first page when the last one is reached. A 200 with `errors` counts as an error.
 */
export async function membersPageLoad(
  port: number,
  org: string,
  token: string,
  connections: number,
  duration: number,
): Promise<LoadResult & { walk: PageWalk }> {
  const queue: (string | null)[] = [];
  const walk: PageWalk = { pages: 0, completedWalks: 0, nodes: 0 };
  const result = await runLoad({
    port,
    connections,
    duration,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    next: () => {
      const after = queue.shift() ?? null;
      return {
        method: 'POST',
        path: '/graphql',
        body: JSON.stringify({ query: MEMBERS_PAGE_QUERY, variables: { id: org, after } }),
      };
    },
    inspect: (status, body) => {
      let parsed:
        | {
            data?: {
              organization?: {
                members?: { nodes?: unknown[]; pageInfo?: { endCursor?: string | null; hasNextPage?: boolean } };
              };
            };
            errors?: { message?: string }[];
          }
        | undefined;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const members = parsed?.data?.organization?.members;
      const bad = status !== 200 || !!parsed?.errors?.length || !members;
      if (bad) {
        walk.firstError ??= parsed?.errors?.[0]?.message ?? `HTTP ${status}`;
        queue.push(null);
        return true;
      }
      walk.pages++;
      walk.nodes += members.nodes?.length ?? 0;
      const info = members.pageInfo;
      if (info?.hasNextPage && info.endCursor) queue.push(info.endCursor);
      else {
        walk.completedWalks++;
        queue.push(null);
      }
      return false;
    },
  });
  return { ...result, walk };
}
