/**
 * Shared helpers of the SCIM HTTP tests (not a test file): what the admin console shows (read through the
 * services, as GraphQL does), and a database fingerprint for "a rejected request changes nothing". The SCIM agent
 * itself is `scim` in test/helpers/scim.ts.
 */
import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type MemberRole, type MemberStatus } from '../../src/domain/enums';
import { OutboxMessage } from '../../src/entities';
import { type TestApp } from '../helpers/app';
import { type ScimOrg } from '../helpers/scim';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface AdminMember {
  id: string;
  email: string;
  userName: string;
  status: MemberStatus;
  role: MemberRole;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  externalId: string | null;
  department: string | null;
  manager: string | null;
  groups: string[];
}

export interface AdminGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  members: string[];
}

const ADMIN_QUERY = `query AdminView($id: ID!) {
  organization(id: $id) {
    members(first: 50) {
      totalCount
      nodes { id email userName status role displayName externalId name { givenName familyName } groups(first: 20) { nodes { displayName } } }
    }
    groups(first: 50) {
      totalCount
      nodes { id displayName externalId members(first: 50) { nodes { userName } } }
    }
  }
}`;

interface GqlMember {
  id: string;
  email: string;
  userName: string;
  status: MemberStatus;
  role: MemberRole;
  displayName: string | null;
  externalId: string | null;
  name: { givenName: string | null; familyName: string | null };
  groups: { nodes: { displayName: string }[] };
}
interface GqlGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  members: { nodes: { userName: string }[] };
}

/** Whether POST /graphql is served (it answered 501 while the GraphQL API was not there yet). */
let graphqlServed: boolean | undefined;

/**
 * The organization as the admin console shows it: members with status and groups, groups with members, read over
 * GraphQL with the owner's access token (through the services when POST /graphql is not served). Department and
 * manager are not shown by the console; they are read from the member records. Lists are sorted for comparison.
 */
export async function adminView(t: TestApp, o: ScimOrg): Promise<{ members: AdminMember[]; groups: AdminGroup[] }> {
  const actor = cliActor();
  const records = (
    await t.services.memberProfiles.list(actor, o.orgId, {}, { field: 'CREATED_AT', direction: 'ASC' }, { first: 100 })
  ).items;
  const extra = new Map(records.map((m) => [m.id, { department: m.department, manager: m.manager }]));
  if (graphqlServed !== false) {
    const res = await request(t.app)
      .post('/graphql')
      .set('Authorization', `Bearer ${o.ownerToken}`)
      .send({ query: ADMIN_QUERY, variables: { id: o.orgId } });
    graphqlServed = res.status !== 501;
    if (graphqlServed) {
      if (res.status !== 200 || res.body.errors)
        throw new Error(`GraphQL admin view failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
      const org = res.body.data.organization;
      if (org.members.totalCount > 50 || org.groups.totalCount > 50)
        throw new Error('adminView reads at most 50 members and 50 groups');
      return {
        members: (org.members.nodes as GqlMember[]).map((m) => ({
          id: m.id,
          email: m.email,
          userName: m.userName,
          status: m.status,
          role: m.role,
          displayName: m.displayName,
          givenName: m.name.givenName,
          familyName: m.name.familyName,
          externalId: m.externalId,
          department: extra.get(m.id)?.department ?? null,
          manager: extra.get(m.id)?.manager ?? null,
          groups: m.groups.nodes.map((g) => g.displayName).sort(),
        })),
        groups: (org.groups.nodes as GqlGroup[]).map((g) => ({
          id: g.id,
          displayName: g.displayName,
          externalId: g.externalId,
          members: g.members.nodes.map((m) => m.userName).sort(),
        })),
      };
    }
  }
  const groups = (await t.services.groups.list(actor, o.orgId, {}, 'CREATED_AT', false, { first: 100 })).items;
  const groupMembers = await t.services.groups.membersOf(
    actor,
    o.orgId,
    groups.map((g) => g.id),
    null,
  );
  const groupsOf = await t.services.groups.groupsOf(
    actor,
    o.orgId,
    records.map((m) => m.id),
  );
  return {
    members: records.map((m) => ({
      id: m.id,
      email: m.email,
      userName: m.userName,
      status: m.status,
      role: m.role,
      displayName: m.displayName,
      givenName: m.givenName,
      familyName: m.familyName,
      externalId: m.externalId,
      department: m.department,
      manager: m.manager,
      groups: (groupsOf.get(m.id) ?? []).map((g) => g.displayName).sort(),
    })),
    groups: groups.map((g) => ({
      id: g.id,
      displayName: g.displayName,
      externalId: g.externalId,
      members: (groupMembers.get(g.id) ?? []).map((m) => m.userName).sort(),
    })),
  };
}

const PROFILE_QUERY = `query MemberProfiles($id: ID!) {
  organization(id: $id) {
    members(first: 50) {
      nodes {
        id title phoneNumbers { value type primary }
        enterprise { employeeNumber department organization costCenter managerId }
      }
    }
  }
}`;

export interface GqlProfile {
  id: string;
  title: string | null;
  phoneNumbers: { value: string; type: string | null; primary: boolean }[];
  enterprise: {
    employeeNumber: string | null;
    department: string | null;
    organization: string | null;
    costCenter: string | null;
    managerId: string | null;
  };
}

/** The profile attributes of one member as the GraphQL API shows them to the organization's owner. */
export async function graphqlProfile(t: TestApp, o: ScimOrg, memberId: string): Promise<GqlProfile | undefined> {
  const res = await request(t.app)
    .post('/graphql')
    .set('Authorization', `Bearer ${o.ownerToken}`)
    .send({ query: PROFILE_QUERY, variables: { id: o.orgId } });
  if (res.status !== 200 || res.body.errors)
    throw new Error(`GraphQL profile query failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return (res.body.data.organization.members.nodes as GqlProfile[]).find((m) => m.id === memberId);
}

/** Invitation e-mails queued for a member (the outbox the dispatcher sends from). */
export async function invitationsOf(t: TestApp, memberId: string): Promise<number> {
  return t.orm.em.fork().count(OutboxMessage, { memberId });
}

/**
 * What a request may change in the provisioning tables, as one comparable string: row counts and the newest
 * updated_at of members and groups, and the membership rows (count and newest link).
 */
export async function fingerprint(t: TestApp): Promise<string> {
  const rows: Record<string, unknown>[] = await t.orm.em
    .fork()
    .getConnection()
    .execute(
      `select (select count(*) from member)::text as members,
            (select max(updated_at) from member)::text as members_updated,
            (select coalesce(sum(version), 0) from member)::text as members_version,
            (select count(*) from member_group)::text as groups,
            (select max(updated_at) from member_group)::text as groups_updated,
            (select coalesce(sum(version), 0) from member_group)::text as groups_version,
            (select count(*) from group_membership)::text as links,
            (select max(created_at) from group_membership)::text as links_created`,
    );
  return JSON.stringify(rows[0]);
}

/** `expect`-friendly check of an RFC 7644 §3.12 error response. */
export function expectScimError(res: request.Response, status: number, scimType?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(res.body.schemas).toEqual([ERROR_SCHEMA]);
  expect(res.body.status).toBe(String(status));
  expect(typeof res.body.detail).toBe('string');
  if (scimType) expect(res.body.scimType).toBe(scimType);
}

export const q = (filter: string) => encodeURIComponent(filter);

/**
 * The organization's provisioning log, newest first, once it holds at least `minRows` rows (rows are written
 * when a response has been sent, so a test reading right after a request may have to wait a moment).
 */
export async function provisioningLog(t: TestApp, orgId: string, minRows = 1, first = 50) {
  for (let i = 0; ; i++) {
    const page = await t.services.scimRequestLog.list(cliActor(), orgId, {}, { first });
    if (page.items.length >= Math.min(minRows, first) || i >= 100) return page.items;
    await new Promise((r) => setTimeout(r, 20));
  }
}
