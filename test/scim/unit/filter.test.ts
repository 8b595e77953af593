import { ScimError } from '../../../src/scim/protocol/errors';
import {
  compileFilter,
  compileGroupFilter,
  compileUserFilter,
  GROUP_SORT_COLUMNS,
  sortColumn,
  USER_SORT_COLUMNS,
} from '../../../src/scim/protocol/filter';
import { escapeLike } from '../../../src/domain/text';

const UUID = '2819c223-7f76-453a-919d-413861904646';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function invalidFilter(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(400);
    expect((e as ScimError).scimType).toBe('invalidFilter');
    return (e as ScimError).detail;
  }
  throw new Error('expected invalidFilter');
}

/** Every placeholder has exactly one param. */
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

describe('compileUserFilter: string attributes', () => {
  it('compares caseExact=false attributes through lower() (expression indexes)', () => {
    expect(compileUserFilter('userName eq "BJensen"')).toEqual({
      sql: 'lower(m.user_name) = lower(?)',
      params: ['BJensen'],
      atMostOneRow: true,
    });
    expect(compileUserFilter('displayName eq "x"').sql).toBe('lower(m.display_name) = lower(?)');
    expect(compileUserFilter('name.givenName eq "x"').sql).toBe('lower(m.given_name) = lower(?)');
    expect(compileUserFilter('name.familyName eq "x"').sql).toBe('lower(m.family_name) = lower(?)');
    expect(compileUserFilter('name.formatted eq "x"').sql).toBe('lower(m.formatted_name) = lower(?)');
  });

  it('compares caseExact=true attributes as is', () => {
    expect(compileUserFilter('externalId eq "AbC"')).toEqual({
      sql: 'm.external_id = ?',
      params: ['AbC'],
      atMostOneRow: true,
    });
    expect(compileUserFilter('manager eq "M1"')).toEqual({ sql: 'm.manager = ?', params: ['M1'] });
  });

  it('accepts attribute names and operators in any case (Ping Eq, Entra)', () => {
    expect(compileUserFilter('USERNAME Eq "x"')).toEqual(compileUserFilter('userName eq "x"'));
    expect(compileUserFilter('username CO "x"')).toEqual(compileUserFilter('userName co "x"'));
  });

  it('compiles co/sw/ew to like with escaped wildcards in the parameter', () => {
    expect(compileUserFilter('userName co "a%b_c\\\\d"')).toEqual({
      sql: "lower(m.user_name) like lower(?) escape '\\'",
      params: ['%a\\%b\\_c\\\\d%'],
    });
    expect(compileUserFilter('userName sw "ab"').params).toEqual(['ab%']);
    expect(compileUserFilter('userName ew "ab"').params).toEqual(['%ab']);
    expect(compileUserFilter('externalId sw "A"')).toEqual({ sql: "m.external_id like ? escape '\\'", params: ['A%'] });
  });

  it('compiles ne to include absent values, pr to not null and not empty', () => {
    expect(compileUserFilter('displayName ne "x"').sql).toBe(
      '(m.display_name is null or lower(m.display_name) <> lower(?))',
    );
    expect(compileUserFilter('displayName pr').sql).toBe("(m.display_name is not null and m.display_name <> '')");
  });

  it('compiles ordering operators on strings', () => {
    expect(compileUserFilter('userName gt "m"').sql).toBe('lower(m.user_name) > lower(?)');
    expect(compileUserFilter('userName ge "m"').sql).toBe('lower(m.user_name) >= lower(?)');
    expect(compileUserFilter('userName lt "m"').sql).toBe('lower(m.user_name) < lower(?)');
    expect(compileUserFilter('userName le "m"').sql).toBe('lower(m.user_name) <= lower(?)');
  });

  it('compares with null as is null / is not null', () => {
    expect(compileUserFilter('externalId eq null')).toEqual({ sql: 'm.external_id is null', params: [] });
    expect(compileUserFilter('externalId ne null')).toEqual({ sql: 'm.external_id is not null', params: [] });
    invalidFilter(() => compileUserFilter('externalId gt null'));
  });

  it('accepts numbers for string attributes, not booleans', () => {
    expect(compileUserFilter(`${ENT}:employeeNumber eq 701984`).params).toEqual(['701984']);
    invalidFilter(() => compileUserFilter('userName eq true'));
  });

  it('resolves enterprise attributes with or without their URN', () => {
    expect(compileUserFilter(`${ENT}:department eq "Tour Operations"`)).toEqual({
      sql: 'lower(m.department) = lower(?)',
      params: ['Tour Operations'],
    });
    expect(compileUserFilter('department eq "x"').sql).toBe('lower(m.department) = lower(?)');
    expect(compileUserFilter(`${ENT}:manager.value eq "m"`).sql).toBe('m.manager = ?');
    expect(compileUserFilter('employeeNumber eq "1"').sql).toBe('lower(m.employee_number) = lower(?)');
    expect(compileUserFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"').sql).toBe(
      'lower(m.user_name) = lower(?)',
    );
    expect(compileUserFilter('urn:scim:schemas:core:1.0:userName eq "x"').sql).toBe('lower(m.user_name) = lower(?)');
  });

  it('rejects core attributes under the enterprise URN, unknown URNs and unknown attributes', () => {
    expect(invalidFilter(() => compileUserFilter(`${ENT}:userName eq "x"`))).toMatch(/userName/);
    invalidFilter(() => compileUserFilter('urn:example:custom:2.0:User:userName eq "x"'));
    expect(invalidFilter(() => compileUserFilter('title eq "x"'))).toMatch(/unknown or unsupported attribute "title"/);
    invalidFilter(() => compileUserFilter('name eq "x"'));
    invalidFilter(() => compileUserFilter('name.middleName eq "x"'));
    invalidFilter(() => compileUserFilter('password eq "x"'));
    invalidFilter(() => compileUserFilter('constructor eq "x"'));
    invalidFilter(() => compileUserFilter('__proto__ eq "x"'));
    invalidFilter(() => compileUserFilter('members eq "x"'));
  });
});

describe('compileUserFilter: ids, timestamps, booleans', () => {
  it('compiles id eq to a uuid comparison, and a non-UUID to a constant', () => {
    expect(compileUserFilter(`id eq "${UUID.toUpperCase()}"`)).toEqual({
      sql: 'm.id = ?::uuid',
      params: [UUID],
      atMostOneRow: true,
    });
    expect(compileUserFilter('id eq "not-a-uuid"')).toEqual({ sql: '1=0', params: [], atMostOneRow: true });
    expect(compileUserFilter('id ne "not-a-uuid"')).toEqual({ sql: '1=1', params: [] });
    expect(compileUserFilter(`id ne "${UUID}"`)).toEqual({ sql: 'm.id <> ?::uuid', params: [UUID] });
    expect(compileUserFilter('id pr')).toEqual({ sql: '1=1', params: [] });
    invalidFilter(() => compileUserFilter('id co "28"'));
  });

  it('compiles meta timestamps with normalised ISO parameters', () => {
    expect(compileUserFilter('meta.lastModified gt "2011-05-13T04:42:34Z"')).toEqual({
      sql: 'm.updated_at > ?::timestamptz',
      params: ['2011-05-13T04:42:34.000Z'],
    });
    expect(compileUserFilter('meta.created le "2011-05-13T06:42:34+02:00"')).toEqual({
      sql: 'm.created_at <= ?::timestamptz',
      params: ['2011-05-13T04:42:34.000Z'],
    });
    expect(compileUserFilter('meta.created pr').sql).toBe('m.created_at is not null');
    invalidFilter(() => compileUserFilter('meta.created gt "yesterday"'));
    invalidFilter(() => compileUserFilter('meta.created gt 5'));
    invalidFilter(() => compileUserFilter('meta.created co "2011"'));
    invalidFilter(() => compileUserFilter('meta.version eq "x"'));
  });

  it('maps active to the member status, accepting "True"/"False" strings', () => {
    expect(compileUserFilter('active eq true')).toEqual({ sql: "(m.status <> 'REVOKED')", params: [] });
    expect(compileUserFilter('active eq "True"').sql).toBe("(m.status <> 'REVOKED')");
    expect(compileUserFilter('active eq False').sql).toBe("(m.status = 'REVOKED')");
    expect(compileUserFilter('active ne true').sql).toBe("(m.status = 'REVOKED')");
    expect(compileUserFilter('active eq "false"').sql).toBe("(m.status = 'REVOKED')");
    expect(compileUserFilter('active pr').sql).toBe('1=1');
    invalidFilter(() => compileUserFilter('active eq "yes"'));
    invalidFilter(() => compileUserFilter('active gt true'));
  });
});

describe('compileUserFilter: emails', () => {
  const arrayExpr =
    "jsonb_array_elements(case when jsonb_typeof(m.emails) = 'array' then m.emails else '[]'::jsonb end) e";

  it('matches emails.value against m.email or any element of m.emails', () => {
    const { sql, params } = compileUserFilter('emails.value eq "A@x.com"');
    expect(sql).toBe(
      `(exists (select 1 from ${arrayExpr} where lower((e->>'value')) = lower(?)) or (lower(m.email) = lower(?)))`,
    );
    expect(params).toEqual(['A@x.com', 'A@x.com']);
    expect(compileUserFilter('emails eq "A@x.com"')).toEqual({ sql, params });
    expect(compileUserFilter('EMAILS.VALUE Eq "A@x.com"')).toEqual({ sql, params });
  });

  it('compiles value paths against the same element; m.email stands in only when there is no array', () => {
    const { sql, params } = compileUserFilter('emails[type eq "work"].value eq "a@x.com"');
    expect(sql).toContain("lower((e->>'type')) = lower(?) and lower((e->>'value')) = lower(?)");
    expect(sql).toContain(
      "(case when jsonb_typeof(m.emails) = 'array' then jsonb_array_length(m.emails) else 0 end) = 0 and",
    );
    expect(sql).toContain("lower('work') = lower(?) and lower(m.email) = lower(?)");
    expect(params).toEqual(['work', 'a@x.com', 'work', 'a@x.com']);
    expect(placeholders(sql)).toBe(params.length);
  });

  it('compiles the RFC value filter example', () => {
    const { sql, params } = compileUserFilter('emails[type eq "work" and value co "@example.com"]');
    expect(sql).toContain("lower((e->>'value')) like lower(?) escape '\\'");
    expect(params).toEqual(['work', '%@example.com%', 'work', '%@example.com%']);
  });

  it('compiles emails.type, emails.primary and emails pr', () => {
    expect(compileUserFilter('emails.type eq "work"').sql).toContain("lower((e->>'type')) = lower(?)");
    expect(compileUserFilter('emails.primary eq true').sql).toContain(
      "coalesce(lower((e->>'primary')), 'false') = 'true'",
    );
    expect(compileUserFilter('emails[primary eq "False"]').sql).toContain(
      "coalesce(lower((e->>'primary')), 'false') <> 'true'",
    );
    expect(compileUserFilter('emails pr').sql).toContain("((e->>'value') is not null and (e->>'value') <> '')");
    invalidFilter(() => compileUserFilter('emails.primary eq "maybe"'));
    invalidFilter(() => compileUserFilter('emails[display eq "x"]'));
    invalidFilter(() => compileUserFilter('emails.foo eq "x"'));
    invalidFilter(() => compileUserFilter('userName[value eq "x"]'));
  });

  it('compiles groups membership for users', () => {
    expect(compileUserFilter(`groups.value eq "${UUID}"`)).toEqual({
      sql: 'exists (select 1 from group_membership gm where gm.member_id = m.id and gm.group_id = ?::uuid)',
      params: [UUID],
    });
  });
});

describe('compileFilter: lookups that pin one row', () => {
  // Such a window runs without ORDER BY, so PostgreSQL cannot walk the (organization, created_at) index instead.
  it('marks eq on userName, externalId or id, also and-ed with more, and nothing else', () => {
    expect(compileUserFilter('userName eq "a" and active eq true').atMostOneRow).toBe(true);
    expect(compileUserFilter('USERNAME Eq "a"').atMostOneRow).toBe(true);
    expect(compileUserFilter('urn:ietf:params:scim:schemas:core:2.0:User:externalId eq "x"').atMostOneRow).toBe(true);
    for (const filter of [
      'userName eq "a" or userName eq "b"',
      'not (userName eq "a")',
      'externalId eq null',
      'userName co "a"',
      'displayName eq "a"',
      'emails[value eq "a@x.test"]',
      'userName ne "a"',
    ]) {
      expect([filter, compileUserFilter(filter).atMostOneRow]).toEqual([filter, undefined]);
    }
    expect(compileGroupFilter('displayName eq "Admins"').atMostOneRow).toBeUndefined();
  });
});

describe('compileUserFilter: logic', () => {
  it('combines and/or/not with grouping; not treats NULL as no match', () => {
    expect(compileUserFilter('userName eq "a" and (displayName co "b" or not (externalId pr))')).toEqual({
      sql: "(lower(m.user_name) = lower(?) and (lower(m.display_name) like lower(?) escape '\\' or (not coalesce((m.external_id is not null and m.external_id <> ''), false))))",
      params: ['a', '%b%'],
      atMostOneRow: true,
    });
  });

  it('keeps injection strings out of the SQL text: the SQL is the same whatever the value', () => {
    const evil = [
      `x'; drop table member; --`,
      `" or 1=1 --`,
      `') or ('1'='1`,
      `\\'; select pg_sleep(10); --`,
      `?`,
      `??`,
      `$1`,
      `%_\\`,
    ];
    const shapes = (v: string) => [
      `userName eq ${v}`,
      `emails[type eq ${v}].value co ${v}`,
      `externalId sw ${v}`,
      `${ENT}:department ew ${v}`,
      `not (displayName gt ${v}) or name.givenName ne ${v}`,
    ];
    const benign = shapes('"benign"').map((f) => compileUserFilter(f).sql);
    for (const value of evil) {
      shapes(JSON.stringify(value)).forEach((f, i) => {
        const { sql, params } = compileUserFilter(f);
        expect(sql).toBe(benign[i]);
        expect(placeholders(sql)).toBe(params.length);
        expect(params.every((p) => typeof p === 'string' && (p.includes(value) || p.includes(escapeLike(value))))).toBe(
          true,
        );
      });
    }
  });

  it('accepts a parsed node as well as text', () => {
    const { parseFilter } = jest.requireActual('../../../src/scim/protocol/filter-parser');
    expect(compileFilter('User', parseFilter('userName eq "x"'))).toEqual(compileUserFilter('userName eq "x"'));
  });
});

describe('compileGroupFilter', () => {
  it('compiles displayName, externalId, id and meta', () => {
    expect(compileGroupFilter('displayName eq "Admins"')).toEqual({
      sql: 'lower(g.display_name) = lower(?)',
      params: ['Admins'],
    });
    expect(compileGroupFilter('externalId eq "X"')).toEqual({
      sql: 'g.external_id = ?',
      params: ['X'],
      atMostOneRow: true,
    });
    expect(compileGroupFilter(`id eq "${UUID}"`)).toEqual({
      sql: 'g.id = ?::uuid',
      params: [UUID],
      atMostOneRow: true,
    });
    expect(compileGroupFilter('id eq "abc"')).toEqual({ sql: '1=0', params: [], atMostOneRow: true });
    expect(compileGroupFilter('meta.created gt "2020-01-01T00:00:00Z"').sql).toBe('g.created_at > ?::timestamptz');
    expect(compileGroupFilter('urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "a"').sql).toBe(
      'lower(g.display_name) = lower(?)',
    );
  });

  it('compiles members filters to an exists over group_membership', () => {
    const expected = {
      sql: 'exists (select 1 from group_membership gm where gm.group_id = g.id and gm.member_id = ?::uuid)',
      params: [UUID],
    };
    expect(compileGroupFilter(`members eq "${UUID}"`)).toEqual(expected);
    expect(compileGroupFilter(`members.value eq "${UUID}"`)).toEqual(expected);
    expect(compileGroupFilter(`members[value eq "${UUID}"]`)).toEqual(expected);
    expect(compileGroupFilter('members[value eq "nope"]')).toEqual({
      sql: 'exists (select 1 from group_membership gm where gm.group_id = g.id and 1=0)',
      params: [],
    });
    expect(compileGroupFilter('members pr').sql).toBe(
      'exists (select 1 from group_membership gm where gm.group_id = g.id and 1=1)',
    );
    invalidFilter(() => compileGroupFilter('members co "x"'));
    invalidFilter(() => compileGroupFilter('members[display eq "x"]'));
  });

  it('rejects user attributes and the enterprise URN', () => {
    invalidFilter(() => compileGroupFilter('userName eq "x"'));
    invalidFilter(() => compileGroupFilter(`${ENT}:department eq "x"`));
    invalidFilter(() => compileGroupFilter('urn:ietf:params:scim:schemas:core:2.0:User:displayName eq "x"'));
  });
});

describe('sort columns (RFC 7644 §3.4.2.3)', () => {
  it('maps sortBy case-insensitively, with URNs, to allow-listed expressions', () => {
    expect(sortColumn('User', 'userName')).toBe('lower(m.user_name)');
    expect(sortColumn('User', 'USERNAME')).toBe('lower(m.user_name)');
    expect(sortColumn('User', 'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName')).toBe(
      'lower(m.family_name)',
    );
    expect(sortColumn('User', `${ENT}:department`)).toBe('lower(m.department)');
    expect(sortColumn('User', 'meta.lastModified')).toBe('m.updated_at');
    expect(sortColumn('User', 'emails')).toBe('lower(m.email)');
    expect(sortColumn('Group', 'displayName')).toBe('lower(g.display_name)');
    expect(sortColumn('Group', 'meta.created')).toBe('g.created_at');
  });

  it('returns undefined for unknown or mis-qualified attributes', () => {
    expect(sortColumn('User', 'title')).toBeUndefined();
    expect(sortColumn('User', '__proto__')).toBeUndefined();
    expect(sortColumn('User', 'm.id; drop table member')).toBeUndefined();
    expect(sortColumn('User', `${ENT}:userName`)).toBeUndefined();
    expect(sortColumn('Group', 'userName')).toBeUndefined();
    expect(sortColumn('Group', 'members')).toBeUndefined();
  });

  it('exposes the allow-lists', () => {
    expect(Object.keys(USER_SORT_COLUMNS)).toContain('username');
    expect(Object.keys(GROUP_SORT_COLUMNS)).toContain('displayname');
  });
});

describe('escapeLike', () => {
  it('escapes backslash, percent and underscore', () => {
    expect(escapeLike('a\\b%c_d')).toBe('a\\\\b\\%c\\_d');
  });
});
