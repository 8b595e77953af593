/**
 * The repositories' filter compilers against a real database: members and groups are seeded, filters (resolved by
 * the SCIM layer, as in production) run through `offsetPage`, and the test asserts which rows come back.
 */
import { cliActor } from '../../src/domain/actor';
import { type MemberResourceFilter, type MemberSortAttribute } from '../../src/domain/resource-filter';
import { compileGroupFilter } from '../../src/repositories/group-filter-sql';
import { GroupRepository } from '../../src/repositories/group.repository';
import { MEMBER_SORT_COLUMNS, compileMemberFilter } from '../../src/repositories/member-filter-sql';
import { sortColumn } from '../../src/repositories/filter-sql';
import { MemberRepository } from '../../src/repositories/member.repository';
import { resolveGroupFilter } from '../../src/scim/groups/group-query';
import { resolveUserFilter } from '../../src/scim/users/user-query';
import { type TestContext, createTestContext, engineName } from '../helpers/db';
import { makeOrganization, profile, unique } from '../helpers/factories';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let ctx: TestContext;
let orgId: string;
const ids: Record<string, string> = {};
let groupIds: Record<string, string> = {};
let before: Date;
const tag = unique();
const userNames: Record<string, string> = {
  A: `Alice-${tag}@Example.test`,
  B: `bob-${tag}@example.test`,
  C: `carol-${tag}@example.test`,
};
const nameOf = new Map<string, string>();

beforeAll(async () => {
  ctx = await createTestContext();
  const org = await makeOrganization(ctx.services);
  orgId = org.orgId;
  before = new Date(Date.now() - 1000);
  const members = ctx.services.memberProfiles;
  const a = await members.provision(
    cliActor(),
    orgId,
    profile(`alice-${tag}@example.test`, {
      userName: userNames.A,
      displayName: 'Alice Anders',
      givenName: 'Alice',
      familyName: 'Anders',
      externalId: 'ExtA',
      title: 'Engineer',
      emails: [
        { value: `alice-${tag}@example.test`, type: 'work', primary: true },
        { value: `alice.home-${tag}@example.test`, type: 'home' },
      ],
      phoneNumbers: [{ value: '+1 555 0100', type: 'work', primary: true }],
      employeeNumber: '100',
      department: 'Tour Operations',
      costCenter: 'CC-1',
      enterpriseOrganization: 'Universal',
      manager: 'M1',
    }),
  );
  // no emails array: its login email stands in as a primary work email
  const b = await members.provision(
    cliActor(),
    orgId,
    profile(`bob-${tag}@example.test`, {
      userName: userNames.B,
      displayName: 'Bob_50%',
      emails: null,
      phoneNumbers: [{ value: '+1 555 0199', type: 'mobile' }],
      department: 'Finance',
    }),
  );
  const c = await members.provision(
    cliActor(),
    orgId,
    profile(`carol-${tag}@other.test`, {
      userName: userNames.C,
      emails: [{ value: `carol-${tag}@other.test`, type: 'home' }],
    }),
    false,
  );
  Object.assign(ids, { A: a.id, B: b.id, C: c.id });
  for (const [label, id] of Object.entries(ids)) nameOf.set(id, label);
  const groups = ctx.services.groups;
  const admins = await groups.createFromIdp(cliActor(), orgId, {
    displayName: 'Admins',
    externalId: 'GX1',
    memberIds: [a.id, b.id],
  });
  const engineers = await groups.createFromIdp(cliActor(), orgId, { displayName: 'Engineers', memberIds: [a.id] });
  const empty = await groups.createFromIdp(cliActor(), orgId, { displayName: 'Empty' });
  groupIds = { Admins: admins.group.id, Engineers: engineers.group.id, Empty: empty.group.id };
});
afterAll(() => ctx.close());

/** Leaves the organization's owner out, so that the labels A, B, C are all a filter can return. */
const seeded = (filter: MemberResourceFilter): MemberResourceFilter => ({
  kind: 'and',
  filters: [filter, { kind: 'not', filter: { kind: 'compare', attribute: 'userName', op: 'sw', value: 'owner-' } }],
});

async function memberPage(
  text: string,
  sort?: { attribute: MemberSortAttribute; descending: boolean },
  offset = 0,
  limit = 100,
) {
  const em = ctx.orm.em.fork();
  return new MemberRepository(em).offsetPage(orgId, {
    filter: seeded(resolveUserFilter(text)),
    sort,
    offset,
    limit,
  });
}

/** Labels (A, B, C) of the members a SCIM filter selects, sorted. */
async function members(text: string): Promise<string[]> {
  const page = await memberPage(text);
  return page.items.map(({ member: m }) => nameOf.get(m.id) ?? m.userName).sort();
}

async function groups(text: string): Promise<string[]> {
  const em = ctx.orm.em.fork();
  const page = await new GroupRepository(em).offsetPage(orgId, {
    filter: resolveGroupFilter(text),
    offset: 0,
    limit: 100,
  });
  return page.items.map((g) => g.displayName).sort();
}

describe(`member filter compiler (${engineName()})`, () => {
  it('compares caseExact=false strings case-insensitively and caseExact=true ones as they are', async () => {
    expect(await members(`userName eq "${userNames.A.toUpperCase()}"`)).toEqual(['A']);
    expect(await members('USERNAME Eq "nobody@example.test"')).toEqual([]);
    expect(await members('externalId eq "exta"')).toEqual([]);
    expect(await members('externalId eq "ExtA"')).toEqual(['A']);
    expect(await members('name.givenName eq "ALICE"')).toEqual(['A']);
    expect(await members('name.familyName sw "and"')).toEqual(['A']);
    expect(await members(`${ENT}:manager.value eq "M1"`)).toEqual(['A']);
    expect(await members('manager eq "m1"')).toEqual([]);
  });

  it('escapes like wildcards in co / sw / ew', async () => {
    expect(await members('displayName co "_50%"')).toEqual(['B']);
    expect(await members('displayName co "%"')).toEqual(['B']);
    expect(await members('displayName co "_"')).toEqual(['B']);
    expect(await members('displayName sw "ali"')).toEqual(['A']);
    expect(await members('displayName ew "ANDERS"')).toEqual(['A']);
  });

  it('ne includes absent values, pr needs a non-empty value, not treats absent as no match', async () => {
    expect(await members('displayName ne "Alice Anders"')).toEqual(['B', 'C']);
    expect(await members('displayName pr')).toEqual(['A', 'B']);
    expect(await members('not (displayName pr)')).toEqual(['C']);
    expect(await members('not (displayName eq "Alice Anders")')).toEqual(['B', 'C']);
    expect(await members('externalId eq null')).toEqual(['B', 'C']);
    expect(await members('externalId ne null')).toEqual(['A']);
  });

  it('orders strings case-insensitively', async () => {
    expect(await members('userName gt "b"')).toEqual(['B', 'C']);
    expect(await members(`userName le "${userNames.B.toUpperCase()}"`)).toEqual(['A', 'B']);
  });

  it('matches emails in the array, and the login email when there is no array', async () => {
    expect(await members(`emails.value eq "BOB-${tag}@example.test"`)).toEqual(['B']);
    expect(await members(`emails eq "alice.home-${tag}@example.test"`)).toEqual(['A']);
    expect(await members(`emails[type eq "work"].value eq "bob-${tag}@example.test"`)).toEqual(['B']);
    expect(await members('emails[type eq "work"]')).toEqual(['A', 'B']);
    expect(await members('emails.primary eq true')).toEqual(['A', 'B']);
    expect(await members('emails[primary eq "False"]')).toEqual(['A', 'C']);
    expect(await members('emails[type eq "home" and value co "other.test"]')).toEqual(['C']);
    expect(await members('emails pr')).toEqual(['A', 'B', 'C']);
  });

  it('maps active to the member status', async () => {
    expect(await members('active eq false')).toEqual(['C']);
    expect(await members('active eq "True"')).toEqual(['A', 'B']);
    expect(await members('active ne true')).toEqual(['C']);
    expect(await members('active pr')).toEqual(['A', 'B', 'C']);
  });

  it('compares ids as UUIDs; a value that is not one matches nothing', async () => {
    expect(await members(`id eq "${ids.A.toUpperCase()}"`)).toEqual(['A']);
    expect(await members('id eq "not-a-uuid"')).toEqual([]);
    expect(await members('id ne "not-a-uuid"')).toEqual(['A', 'B', 'C']);
    expect(await members(`id ne "${ids.A}"`)).toEqual(['B', 'C']);
  });

  it('filters by group membership', async () => {
    expect(await members(`groups.value eq "${groupIds.Admins}"`)).toEqual(['A', 'B']);
    expect(await members(`groups[value eq "${groupIds.Engineers}"]`)).toEqual(['A']);
    expect(await members('groups pr')).toEqual(['A', 'B']);
    expect(await members('not (groups pr)')).toEqual(['C']);
    expect(await members('groups.value eq "not-a-uuid"')).toEqual([]);
  });

  it('compares timestamps', async () => {
    expect(await members(`meta.created ge "${before.toISOString()}"`)).toEqual(['A', 'B', 'C']);
    expect(await members('meta.lastModified lt "2000-01-01T00:00:00Z"')).toEqual([]);
    expect(await members('meta.created pr')).toEqual(['A', 'B', 'C']);
  });

  it('filters the new attributes: title, phoneNumbers, costCenter, organization', async () => {
    expect(await members('title eq "engineer"')).toEqual(['A']);
    expect(await members('title pr')).toEqual(['A']);
    expect(await members('phoneNumbers.value eq "+1 555 0199"')).toEqual(['B']);
    expect(await members('phoneNumbers[type eq "work" and primary eq true]')).toEqual(['A']);
    expect(await members('phoneNumbers pr')).toEqual(['A', 'B']);
    expect(await members(`${ENT}:costCenter eq "cc-1"`)).toEqual(['A']);
    expect(await members('organization eq "universal"')).toEqual(['A']);
    expect(await members('department eq "finance"')).toEqual(['B']);
    expect(await members(`${ENT}:employeeNumber eq 100`)).toEqual(['A']);
  });

  it('combines and / or / not', async () => {
    expect(await members(`userName eq "${userNames.A}" or (displayName co "bob" and not (externalId pr))`)).toEqual([
      'A',
      'B',
    ]);
    expect(await members('active eq true and not (emails[type eq "home"])')).toEqual(['B']);
  });

  it('keeps injection strings as values: they match nothing and break nothing', async () => {
    for (const evil of [`x' or '1'='1`, `" or 1=1 --`, `'; drop table member; --`, '?', '$1', '%_\\']) {
      const v = JSON.stringify(evil);
      expect(await members(`userName eq ${v} or displayName co ${v} or emails[type eq ${v}].value sw ${v}`)).toEqual(
        [],
      );
    }
  });

  it('sorts by a sort attribute and pages with a total', async () => {
    const page = await memberPage('userName pr', { attribute: 'userName', descending: true });
    expect(page.items.map(({ member: m }) => nameOf.get(m.id))).toEqual(['C', 'B', 'A']);
    const second = await memberPage('userName pr', { attribute: 'userName', descending: false }, 1, 1);
    expect({ items: second.items.map(({ member: m }) => nameOf.get(m.id)), total: second.total }).toEqual({
      items: ['B'],
      total: 3,
    });
    const byTitle = await memberPage('userName pr', { attribute: 'title', descending: false });
    expect(byTitle.items.map(({ member: m }) => nameOf.get(m.id))[0]).toBe('A');
  });

  it('marks lookups that pin one row (no ORDER BY), and nothing else', () => {
    const pins = (text: string) => compileMemberFilter(resolveUserFilter(text)).atMostOneRow;
    expect(pins('userName eq "a" and active eq true')).toBe(true);
    expect(pins('urn:ietf:params:scim:schemas:core:2.0:User:externalId eq "x"')).toBe(true);
    expect(pins('id eq "not-a-uuid"')).toBe(true);
    for (const filter of [
      'userName eq "a" or userName eq "b"',
      'not (userName eq "a")',
      'externalId eq null',
      'userName co "a"',
      'displayName eq "a"',
      'emails[value eq "a@x.test"]',
      'userName ne "a"',
    ]) {
      expect([filter, pins(filter)]).toEqual([filter, undefined]);
    }
    expect(compileGroupFilter(resolveGroupFilter('displayName eq "Admins"')).atMostOneRow).toBeUndefined();
    expect(compileGroupFilter(resolveGroupFilter('externalId eq "GX1"')).atMostOneRow).toBe(true);
  });

  it('keeps every value out of the SQL text', () => {
    const { sql, params } = compileMemberFilter(
      resolveUserFilter(`title eq "t'1" and phoneNumbers[value co "p'2"] and ${ENT}:costCenter sw "c'3"`),
    );
    expect(sql).not.toMatch(/t'1|p'2|c'3/);
    expect((sql.match(/\?/g) ?? []).length).toBe(params.length);
  });

  it('fails closed on attribute ids it has no column for', () => {
    const tree = (t: unknown) => t as MemberResourceFilter;
    expect(() => compileMemberFilter(tree({ kind: 'compare', attribute: 'password', op: 'eq', value: 'x' }))).toThrow(
      /unknown attribute "password"/,
    );
    expect(() => compileMemberFilter(tree({ kind: 'present', attribute: '__proto__' }))).toThrow(/unknown attribute/);
    // an element attribute outside its multi-valued attribute has no column
    expect(() =>
      compileMemberFilter(tree({ kind: 'compare', attribute: 'emails.value', op: 'eq', value: 'x' })),
    ).toThrow(/unknown attribute "emails.value"/);
    expect(() =>
      compileMemberFilter(tree({ kind: 'some', attribute: 'addresses', filter: { kind: 'present', attribute: 'x' } })),
    ).toThrow(/unknown multi-valued "addresses"/);
    expect(() =>
      compileMemberFilter(
        tree({
          kind: 'some',
          attribute: 'emails',
          filter: { kind: 'some', attribute: 'emails', filter: { kind: 'present', attribute: 'emails.value' } },
        }),
      ),
    ).toThrow(/nested/);
    expect(() => compileMemberFilter(tree({ kind: 'compare', attribute: 'userName', op: 'eq', value: true }))).toThrow(
      /string/,
    );
  });

  it('fails closed on sort attributes it has no column for', async () => {
    expect(() => sortColumn(MEMBER_SORT_COLUMNS, 'constructor')).toThrow(/cannot sort by "constructor"/);
    const em = ctx.orm.em.fork();
    await expect(
      new MemberRepository(em).offsetPage(orgId, {
        sort: { attribute: 'password' as MemberSortAttribute, descending: false },
        offset: 0,
        limit: 1,
      }),
    ).rejects.toThrow(/cannot sort by "password"/);
  });
});

describe(`group filter compiler (${engineName()})`, () => {
  it('filters displayName, externalId, id and meta', async () => {
    expect(await groups('displayName eq "ADMINS"')).toEqual(['Admins']);
    expect(await groups('displayName co "in"')).toEqual(['Admins', 'Engineers']);
    expect(await groups('externalId eq "GX1"')).toEqual(['Admins']);
    expect(await groups('externalId eq "gx1"')).toEqual([]);
    expect(await groups(`id eq "${groupIds.Engineers}"`)).toEqual(['Engineers']);
    expect(await groups('id eq "abc"')).toEqual([]);
    expect(await groups(`meta.created ge "${before.toISOString()}"`)).toEqual(['Admins', 'Empty', 'Engineers']);
    expect(await groups('urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "empty"')).toEqual(['Empty']);
  });

  it('filters by members', async () => {
    expect(await groups(`members eq "${ids.A}"`)).toEqual(['Admins', 'Engineers']);
    expect(await groups(`members.value eq "${ids.B}"`)).toEqual(['Admins']);
    expect(await groups(`members[value eq "${ids.B}"]`)).toEqual(['Admins']);
    expect(await groups('members[value eq "nope"]')).toEqual([]);
    expect(await groups('members pr')).toEqual(['Admins', 'Engineers']);
    expect(await groups('not (members pr)')).toEqual(['Empty']);
  });

  it('sorts by displayName', async () => {
    const em = ctx.orm.em.fork();
    const page = await new GroupRepository(em).offsetPage(orgId, {
      sort: { attribute: 'displayName', descending: true },
      offset: 0,
      limit: 10,
    });
    expect(page.items.map((g) => g.displayName)).toEqual(['Engineers', 'Empty', 'Admins']);
  });
});
