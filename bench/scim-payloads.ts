// The RFC 7644 requests an IdP (JumpCloud) sends; written against the contract, not against our router.

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const scimBase = (org: string) => `/scim/v2/${org}`;

/** RFC 7644 §3.4.2.2: `filter=userName eq "..."`, percent-encoded as IdPs send it. */
export const userLookupPath = (org: string, userName: string) =>
  `${scimBase(org)}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

export const groupLookupPath = (org: string, displayName: string) =>
  `${scimBase(org)}/Groups?filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`;

export interface BenchPerson {
  userName: string;
  givenName: string;
  familyName: string;
  externalId: string;
}

export function person(prefix: string, n: number): BenchPerson {
  const givenName = ['Ada', 'Grace', 'Alan', 'Barbara', 'Edsger', 'Radia', 'Donald', 'Frances'][n % 8];
  const familyName = ['Lovelace', 'Hopper', 'Turing', 'Liskov', 'Dijkstra', 'Perlman', 'Knuth', 'Allen'][
    Math.floor(n / 8) % 8
  ];
  return {
    userName: `${givenName}.${familyName}.${prefix}-${n}@idp.example`.toLowerCase(),
    givenName,
    familyName,
    externalId: `${prefix}-${n.toString(16).padStart(8, '0')}`,
  };
}

/** RFC 7643 §4.1 User as JumpCloud posts it. */
export function userBody(p: BenchPerson): object {
  return {
    schemas: [USER_SCHEMA],
    userName: p.userName,
    externalId: p.externalId,
    name: { givenName: p.givenName, familyName: p.familyName },
    displayName: `${p.givenName} ${p.familyName}`,
    emails: [{ value: p.userName, type: 'work', primary: true }],
    active: true,
  };
}

/** RFC 7644 §3.5.2.3: deprovisioning is `replace active=false`. */
export const deactivateBody = {
  schemas: [PATCH_SCHEMA],
  Operations: [{ op: 'replace', path: 'active', value: false }],
};

export function groupBody(displayName: string, externalId: string, memberIds: string[]): object {
  return { schemas: [GROUP_SCHEMA], displayName, externalId, members: memberIds.map((value) => ({ value })) };
}

/** RFC 7644 §3.5.2.1: add members with a value array. */
export function addMembersBody(memberIds: string[]): object {
  return {
    schemas: [PATCH_SCHEMA],
    Operations: [{ op: 'add', path: 'members', value: memberIds.map((value) => ({ value })) }],
  };
}

/** The id of a created resource, when the response carries one. */
export function resourceId(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** RFC 7644 §3.4.2: a ListResponse (`totalResults`, `Resources`); undefined when the body is not one. */
export function listResources(body: unknown): { total: number; ids: string[] } | undefined {
  const b = body as { totalResults?: unknown; Resources?: unknown } | undefined;
  if (!b || typeof b.totalResults !== 'number') return undefined;
  const resources = Array.isArray(b.Resources) ? b.Resources : [];
  return { total: b.totalResults, ids: resources.map(resourceId).filter((x): x is string => !!x) };
}

/** Cheap check for the load generator (no JSON parse on the hot path). */
export const looksLikeListResponse = (body: string) => /"totalResults"\s*:/.test(body);
