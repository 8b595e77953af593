/**
 * SCIM filters resolved against the attribute registry into the neutral filter tree (what the repositories
 * compile; their SQL is tested against a database in test/repositories/filter-sql.test.ts), and `sortBy`.
 */
import { ScimError } from '../../../src/scim/protocol/errors';
import { parseFilter, resolveSort, sortAttribute } from '../../../src/scim/protocol/filter';
import { resolveGroupFilter } from '../../../src/scim/groups/group-query';
import { resolveUserFilter } from '../../../src/scim/users/user-query';
import { GROUP_RESOURCE } from '../../../src/scim/groups/group-attributes';
import { USER_RESOURCE } from '../../../src/scim/users/user-attributes';
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

const compare = (attribute: string, op: string, value: unknown) => ({ kind: 'compare', attribute, op, value });
const some = (attribute: string, filter: unknown) => ({ kind: 'some', attribute, filter });

describe('resolveUserFilter: string attributes', () => {
  it('resolves names to attribute ids, values to strings', () => {
    expect(resolveUserFilter('userName eq "BJensen"')).toEqual(compare('userName', 'eq', 'BJensen'));
    expect(resolveUserFilter('displayName eq "x"')).toEqual(compare('displayName', 'eq', 'x'));
    expect(resolveUserFilter('name.givenName eq "x"')).toEqual(compare('name.givenName', 'eq', 'x'));
    expect(resolveUserFilter('name.familyName eq "x"')).toEqual(compare('name.familyName', 'eq', 'x'));
    expect(resolveUserFilter('name.formatted eq "x"')).toEqual(compare('name.formatted', 'eq', 'x'));
    expect(resolveUserFilter('externalId eq "AbC"')).toEqual(compare('externalId', 'eq', 'AbC'));
    expect(resolveUserFilter('manager eq "M1"')).toEqual(compare('enterprise:manager.value', 'eq', 'M1'));
    expect(resolveUserFilter('title co "Vice"')).toEqual(compare('title', 'co', 'Vice'));
  });

  it('accepts attribute names and operators in any case (Ping Eq, Entra)', () => {
    expect(resolveUserFilter('USERNAME Eq "x"')).toEqual(resolveUserFilter('userName eq "x"'));
    expect(resolveUserFilter('username CO "x"')).toEqual(resolveUserFilter('userName co "x"'));
  });

  it('keeps like wildcards as given (the repository escapes them)', () => {
    expect(resolveUserFilter('userName co "a%b_c\\\\d"')).toEqual(compare('userName', 'co', 'a%b_c\\d'));
    for (const op of ['sw', 'ew', 'gt', 'ge', 'lt', 'le', 'ne']) {
      expect(resolveUserFilter(`userName ${op} "m"`)).toEqual(compare('userName', op, 'm'));
    }
    expect(resolveUserFilter('displayName pr')).toEqual({ kind: 'present', attribute: 'displayName' });
  });

  it('compares with null using eq / ne only', () => {
    expect(resolveUserFilter('externalId eq null')).toEqual(compare('externalId', 'eq', null));
    expect(resolveUserFilter('externalId ne null')).toEqual(compare('externalId', 'ne', null));
    invalidFilter(() => resolveUserFilter('externalId gt null'));
  });

  it('accepts numbers for string attributes, not booleans', () => {
    expect(resolveUserFilter(`${ENT}:employeeNumber eq 701984`)).toEqual(
      compare('enterprise:employeeNumber', 'eq', '701984'),
    );
    invalidFilter(() => resolveUserFilter('userName eq true'));
  });

  it('resolves enterprise attributes with or without their URN, core ones with theirs', () => {
    expect(resolveUserFilter(`${ENT}:department eq "Tour Operations"`)).toEqual(
      compare('enterprise:department', 'eq', 'Tour Operations'),
    );
    expect(resolveUserFilter('department eq "x"')).toEqual(compare('enterprise:department', 'eq', 'x'));
    expect(resolveUserFilter(`${ENT}:manager.value eq "m"`)).toEqual(compare('enterprise:manager.value', 'eq', 'm'));
    expect(resolveUserFilter(`${ENT}:costCenter eq "4130"`)).toEqual(compare('enterprise:costCenter', 'eq', '4130'));
    expect(resolveUserFilter('organization eq "U"')).toEqual(compare('enterprise:organization', 'eq', 'U'));
    expect(resolveUserFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"')).toEqual(
      compare('userName', 'eq', 'x'),
    );
    expect(resolveUserFilter('urn:scim:schemas:core:1.0:userName eq "x"')).toEqual(compare('userName', 'eq', 'x'));
    expect(resolveUserFilter('urn:scim:schemas:extension:enterprise:1.0:department eq "x"')).toEqual(
      compare('enterprise:department', 'eq', 'x'),
    );
  });

  it('rejects core attributes under the enterprise URN, unknown URNs and unknown attributes', () => {
    expect(invalidFilter(() => resolveUserFilter(`${ENT}:userName eq "x"`))).toMatch(/userName/);
    invalidFilter(() => resolveUserFilter('urn:example:custom:2.0:User:userName eq "x"'));
    expect(invalidFilter(() => resolveUserFilter('nickName eq "x"'))).toMatch(
      /unknown or unsupported attribute "nickName"/,
    );
    invalidFilter(() => resolveUserFilter('name eq "x"'));
    invalidFilter(() => resolveUserFilter('name.middleName eq "x"'));
    invalidFilter(() => resolveUserFilter('password eq "x"'));
    invalidFilter(() => resolveUserFilter('constructor eq "x"'));
    invalidFilter(() => resolveUserFilter('__proto__ eq "x"'));
    invalidFilter(() => resolveUserFilter('members eq "x"'));
    invalidFilter(() => resolveUserFilter('nickName eq "x"'));
    invalidFilter(() => resolveUserFilter('addresses.region eq "x"'));
    invalidFilter(() => resolveUserFilter(`${ENT}:manager.displayName eq "x"`));
  });
});

describe('resolveUserFilter: ids, timestamps, booleans', () => {
  it('resolves id with eq / ne / pr only; the value stays as given', () => {
    expect(resolveUserFilter(`id eq "${UUID.toUpperCase()}"`)).toEqual(compare('id', 'eq', UUID.toUpperCase()));
    expect(resolveUserFilter('id eq "not-a-uuid"')).toEqual(compare('id', 'eq', 'not-a-uuid'));
    expect(resolveUserFilter('id pr')).toEqual({ kind: 'present', attribute: 'id' });
    invalidFilter(() => resolveUserFilter('id co "28"'));
  });

  it('resolves meta timestamps to dates', () => {
    expect(resolveUserFilter('meta.lastModified gt "2011-05-13T04:42:34Z"')).toEqual(
      compare('meta.lastModified', 'gt', new Date('2011-05-13T04:42:34.000Z')),
    );
    expect(resolveUserFilter('meta.created le "2011-05-13T06:42:34+02:00"')).toEqual(
      compare('meta.created', 'le', new Date('2011-05-13T04:42:34.000Z')),
    );
    expect(resolveUserFilter('meta.created pr')).toEqual({ kind: 'present', attribute: 'meta.created' });
    invalidFilter(() => resolveUserFilter('meta.created gt "yesterday"'));
    invalidFilter(() => resolveUserFilter('meta.created gt 5'));
    invalidFilter(() => resolveUserFilter('meta.created co "2011"'));
    invalidFilter(() => resolveUserFilter('meta.version eq "x"'));
  });

  it('resolves active to a boolean eq, accepting "True"/"False" strings', () => {
    expect(resolveUserFilter('active eq true')).toEqual(compare('active', 'eq', true));
    expect(resolveUserFilter('active eq "True"')).toEqual(compare('active', 'eq', true));
    expect(resolveUserFilter('active eq False')).toEqual(compare('active', 'eq', false));
    expect(resolveUserFilter('active ne true')).toEqual(compare('active', 'eq', false));
    expect(resolveUserFilter('active eq "false"')).toEqual(compare('active', 'eq', false));
    expect(resolveUserFilter('active pr')).toEqual({ kind: 'present', attribute: 'active' });
    invalidFilter(() => resolveUserFilter('active eq "yes"'));
    invalidFilter(() => resolveUserFilter('active gt true'));
    invalidFilter(() => resolveUserFilter('active eq null'));
  });
});

describe('resolveUserFilter: multi-valued attributes', () => {
  it('a comparison on emails / emails.sub means "some email matches"', () => {
    const tree = some('emails', compare('emails.value', 'eq', 'A@x.com'));
    expect(resolveUserFilter('emails.value eq "A@x.com"')).toEqual(tree);
    expect(resolveUserFilter('emails eq "A@x.com"')).toEqual(tree);
    expect(resolveUserFilter('EMAILS.VALUE Eq "A@x.com"')).toEqual(tree);
    expect(resolveUserFilter('emails pr')).toEqual(some('emails', { kind: 'present', attribute: 'emails.value' }));
  });

  it('keeps a value path on one element', () => {
    expect(resolveUserFilter('emails[type eq "work"].value eq "a@x.com"')).toEqual(
      some('emails', {
        kind: 'and',
        filters: [compare('emails.type', 'eq', 'work'), compare('emails.value', 'eq', 'a@x.com')],
      }),
    );
    expect(resolveUserFilter('emails[type eq "work" and value co "@example.com"]')).toEqual(
      some('emails', {
        kind: 'and',
        filters: [compare('emails.type', 'eq', 'work'), compare('emails.value', 'co', '@example.com')],
      }),
    );
  });

  it('resolves emails.type, emails.primary, and rejects what emails does not have', () => {
    expect(resolveUserFilter('emails.type eq "work"')).toEqual(some('emails', compare('emails.type', 'eq', 'work')));
    expect(resolveUserFilter('emails.primary eq true')).toEqual(some('emails', compare('emails.primary', 'eq', true)));
    expect(resolveUserFilter('emails[primary eq "False"]')).toEqual(
      some('emails', compare('emails.primary', 'eq', false)),
    );
    invalidFilter(() => resolveUserFilter('emails.primary eq "maybe"'));
    invalidFilter(() => resolveUserFilter('emails[display eq "x"]'));
    invalidFilter(() => resolveUserFilter('emails.foo eq "x"'));
    invalidFilter(() => resolveUserFilter('userName[value eq "x"]'));
    invalidFilter(() => resolveUserFilter('name[givenName eq "x"]'));
    invalidFilter(() => resolveUserFilter('emails[value eq "x" and emails[type eq "y"]]'));
  });

  it('resolves phoneNumbers like emails', () => {
    expect(resolveUserFilter('phoneNumbers.value eq "+1"')).toEqual(
      some('phoneNumbers', compare('phoneNumbers.value', 'eq', '+1')),
    );
    expect(resolveUserFilter('phoneNumbers[type eq "work"].value sw "+1"')).toEqual(
      some('phoneNumbers', {
        kind: 'and',
        filters: [compare('phoneNumbers.type', 'eq', 'work'), compare('phoneNumbers.value', 'sw', '+1')],
      }),
    );
  });

  it('resolves groups of a member; only value, with eq / ne / pr', () => {
    expect(resolveUserFilter(`groups.value eq "${UUID}"`)).toEqual(some('groups', compare('groups.value', 'eq', UUID)));
    expect(resolveUserFilter(`groups eq "${UUID}"`)).toEqual(some('groups', compare('groups.value', 'eq', UUID)));
    invalidFilter(() => resolveUserFilter('groups.value co "x"'));
    invalidFilter(() => resolveUserFilter('groups[display eq "x"]'));
  });
});

describe('resolveUserFilter: logic', () => {
  it('keeps and / or / not and grouping', () => {
    expect(resolveUserFilter('userName eq "a" and (displayName co "b" or not (externalId pr))')).toEqual({
      kind: 'and',
      filters: [
        compare('userName', 'eq', 'a'),
        {
          kind: 'or',
          filters: [
            compare('displayName', 'co', 'b'),
            { kind: 'not', filter: { kind: 'present', attribute: 'externalId' } },
          ],
        },
      ],
    });
  });

  it('carries injection strings as values only', () => {
    for (const value of [`x'; drop table member; --`, `" or 1=1 --`, '?', '$1', '%_\\']) {
      expect(resolveUserFilter(`userName eq ${JSON.stringify(value)}`)).toEqual(compare('userName', 'eq', value));
    }
    expect(escapeLike('a\\b%c_d')).toBe('a\\\\b\\%c\\_d');
  });

  it('accepts a parsed node as well as text', () => {
    expect(resolveUserFilter(parseFilter('userName eq "x"'))).toEqual(resolveUserFilter('userName eq "x"'));
  });
});

describe('resolveGroupFilter', () => {
  it('resolves displayName, externalId, id and meta', () => {
    expect(resolveGroupFilter('displayName eq "Admins"')).toEqual(compare('displayName', 'eq', 'Admins'));
    expect(resolveGroupFilter('externalId eq "X"')).toEqual(compare('externalId', 'eq', 'X'));
    expect(resolveGroupFilter(`id eq "${UUID}"`)).toEqual(compare('id', 'eq', UUID));
    expect(resolveGroupFilter('meta.created gt "2020-01-01T00:00:00Z"')).toEqual(
      compare('meta.created', 'gt', new Date('2020-01-01T00:00:00Z')),
    );
    expect(resolveGroupFilter('urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "a"')).toEqual(
      compare('displayName', 'eq', 'a'),
    );
  });

  it('resolves members filters to "some member"', () => {
    const expected = some('members', compare('members.value', 'eq', UUID));
    expect(resolveGroupFilter(`members eq "${UUID}"`)).toEqual(expected);
    expect(resolveGroupFilter(`members.value eq "${UUID}"`)).toEqual(expected);
    expect(resolveGroupFilter(`members[value eq "${UUID}"]`)).toEqual(expected);
    expect(resolveGroupFilter('members pr')).toEqual(some('members', { kind: 'present', attribute: 'members.value' }));
    invalidFilter(() => resolveGroupFilter('members co "x"'));
    invalidFilter(() => resolveGroupFilter('members[display eq "x"]'));
  });

  it('rejects user attributes and the enterprise URN', () => {
    invalidFilter(() => resolveGroupFilter('userName eq "x"'));
    invalidFilter(() => resolveGroupFilter(`${ENT}:department eq "x"`));
    invalidFilter(() => resolveGroupFilter('urn:ietf:params:scim:schemas:core:2.0:User:displayName eq "x"'));
  });
});

describe('sortBy (RFC 7644 §3.4.2.3)', () => {
  it('resolves sortBy case-insensitively, with URNs, to sort attributes', () => {
    expect(sortAttribute(USER_RESOURCE, 'userName')).toBe('userName');
    expect(sortAttribute(USER_RESOURCE, 'USERNAME')).toBe('userName');
    expect(sortAttribute(USER_RESOURCE, 'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName')).toBe(
      'name.familyName',
    );
    expect(sortAttribute(USER_RESOURCE, `${ENT}:department`)).toBe('enterprise:department');
    expect(sortAttribute(USER_RESOURCE, 'meta.lastModified')).toBe('meta.lastModified');
    expect(sortAttribute(USER_RESOURCE, 'emails')).toBe('emails.value');
    expect(sortAttribute(USER_RESOURCE, 'title')).toBe('title');
    expect(sortAttribute(GROUP_RESOURCE, 'displayName')).toBe('displayName');
    expect(sortAttribute(GROUP_RESOURCE, 'meta.created')).toBe('meta.created');
  });

  it('returns undefined for unknown, multi-valued-only or mis-qualified attributes', () => {
    expect(sortAttribute(USER_RESOURCE, 'nickName')).toBeUndefined();
    expect(sortAttribute(USER_RESOURCE, 'phoneNumbers')).toBeUndefined();
    expect(sortAttribute(USER_RESOURCE, '__proto__')).toBeUndefined();
    expect(sortAttribute(USER_RESOURCE, 'm.id; drop table member')).toBeUndefined();
    expect(sortAttribute(USER_RESOURCE, `${ENT}:userName`)).toBeUndefined();
    expect(sortAttribute(GROUP_RESOURCE, 'userName')).toBeUndefined();
    expect(sortAttribute(GROUP_RESOURCE, 'members')).toBeUndefined();
  });

  it('is 400 invalidValue when the attribute cannot be sorted by', () => {
    expect(resolveSort(USER_RESOURCE, 'displayName', true)).toEqual({ attribute: 'displayName', descending: true });
    expect(() => resolveSort(GROUP_RESOURCE, 'userName', false)).toThrow(ScimError);
  });
});
