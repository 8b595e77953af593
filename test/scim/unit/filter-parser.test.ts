import { ScimError } from '../../../src/scim/protocol/errors';
import { type FilterNode, matchElement, parseFilter, parsePath } from '../../../src/scim/protocol/filter-parser';

const cmp = (attr: string, op: string, value: unknown, extra: object = {}) => ({
  kind: 'compare',
  path: { attr, ...extra },
  op,
  value,
});

function expectScimError(fn: () => unknown, scimType: string, detail?: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(400);
    expect((e as ScimError).scimType).toBe(scimType);
    if (detail) expect((e as ScimError).detail).toMatch(detail);
    return;
  }
  throw new Error('expected a ScimError');
}

describe('parseFilter (RFC 7644 §3.4.2.2)', () => {
  it.each([
    ['userName eq "bjensen"', cmp('userName', 'eq', 'bjensen')],
    ['name.familyName co "O\'Malley"', cmp('name', 'co', "O'Malley", { sub: 'familyName' })],
    ['userName sw "J"', cmp('userName', 'sw', 'J')],
    ['title pr', { kind: 'present', path: { attr: 'title' } }],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta', 'gt', '2011-05-13T04:42:34Z', { sub: 'lastModified' })],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta', 'ge', '2011-05-13T04:42:34Z', { sub: 'lastModified' })],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta', 'lt', '2011-05-13T04:42:34Z', { sub: 'lastModified' })],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta', 'le', '2011-05-13T04:42:34Z', { sub: 'lastModified' })],
    ['userName ne "x"', cmp('userName', 'ne', 'x')],
    ['userName ew "x"', cmp('userName', 'ew', 'x')],
    ['active eq true', cmp('active', 'eq', true)],
    ['active eq False', cmp('active', 'eq', false)],
    ['externalId eq null', cmp('externalId', 'eq', null)],
    ['employeeNumber eq 42', cmp('employeeNumber', 'eq', 42)],
    ['x eq -1.5e+3', cmp('x', 'eq', -1500)],
  ])('parses %s', (input, expected) => {
    expect(parseFilter(input)).toEqual(expected);
  });

  it('accepts operators and keywords in any case (Ping: Eq, Co; AND/Or/NOT)', () => {
    expect(parseFilter('userName Eq "a"')).toEqual(cmp('userName', 'eq', 'a'));
    expect(parseFilter('userName CO "a"')).toEqual(cmp('userName', 'co', 'a'));
    expect(parseFilter('a Pr AND b pR Or NOT (c PR)')).toEqual({
      kind: 'or',
      filters: [
        {
          kind: 'and',
          filters: [
            { kind: 'present', path: { attr: 'a' } },
            { kind: 'present', path: { attr: 'b' } },
          ],
        },
        { kind: 'not', filter: { kind: 'present', path: { attr: 'c' } } },
      ],
    });
  });

  it('gives and precedence over or, and honours parentheses', () => {
    expect(parseFilter('a eq 1 or b eq 2 and c eq 3')).toEqual({
      kind: 'or',
      filters: [cmp('a', 'eq', 1), { kind: 'and', filters: [cmp('b', 'eq', 2), cmp('c', 'eq', 3)] }],
    });
    expect(parseFilter('(a eq 1 or b eq 2) and c eq 3')).toEqual({
      kind: 'and',
      filters: [{ kind: 'or', filters: [cmp('a', 'eq', 1), cmp('b', 'eq', 2)] }, cmp('c', 'eq', 3)],
    });
  });

  it('parses the RFC example with a value path', () => {
    expect(parseFilter('userType eq "Employee" and emails[type eq "work" and value co "@example.com"]')).toEqual({
      kind: 'and',
      filters: [
        cmp('userType', 'eq', 'Employee'),
        {
          kind: 'valuePath',
          path: { attr: 'emails' },
          filter: { kind: 'and', filters: [cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com')] },
        },
      ],
    });
  });

  it('correlates attr[filter].sub op value on the same element', () => {
    expect(parseFilter('emails[type eq "work"].value eq "a@b.c"')).toEqual({
      kind: 'valuePath',
      path: { attr: 'emails' },
      filter: { kind: 'and', filters: [cmp('type', 'eq', 'work'), cmp('value', 'eq', 'a@b.c')] },
    });
  });

  it('parses URN-qualified attribute names', () => {
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"')).toEqual(
      cmp('userName', 'eq', 'x', { urn: 'urn:ietf:params:scim:schemas:core:2.0:User' }),
    );
    expect(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"')).toEqual(
      cmp('manager', 'eq', 'm', { urn: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', sub: 'value' }),
    );
  });

  it('reads string escapes and keeps injection text as plain data', () => {
    expect(parseFilter('userName eq "a\\"b\\\\c\\u0041"')).toEqual(cmp('userName', 'eq', 'a"b\\cA'));
    expect(parseFilter(`userName eq "x' or '1'='1"`)).toEqual(cmp('userName', 'eq', "x' or '1'='1"));
  });

  it('treats + outside strings as a space (OneLogin) but keeps + inside strings', () => {
    expect(parseFilter('userName+eq+"a+b@x.com"')).toEqual(cmp('userName', 'eq', 'a+b@x.com'));
    expect(parseFilter('userName eq "x"   ')).toEqual(cmp('userName', 'eq', 'x'));
  });

  it('accepts not before an attribute expression', () => {
    expect(parseFilter('not userName eq "x"')).toEqual({ kind: 'not', filter: cmp('userName', 'eq', 'x') });
  });

  it.each([
    [''],
    ['   '],
    ['userName'],
    ['userName eq'],
    ['userName eq bjensen'],
    ["userName eq 'single'"],
    ['userName equals "x"'],
    ['userName eq "unterminated'],
    ['(userName eq "x"'],
    ['userName eq "x")'],
    ['userName eq "x" and'],
    ['userName eq "x" "y"'],
    ['emails[type eq "work"'],
    ['emails[type eq "work"]].value eq "x"'],
    ['emails[value[type eq "x"]]'],
    ['name.givenName[value eq "x"]'],
    ['a.b.c eq "x"'],
    ['1abc eq "x"'],
    ['eq eq eq'],
  ])('rejects %j with invalidFilter', (input) => {
    expectScimError(() => parseFilter(input), 'invalidFilter');
  });

  it('rejects over-long and over-deep filters without overflowing the stack', () => {
    expectScimError(() => parseFilter(`userName eq "${'a'.repeat(2000)}"`), 'invalidFilter', /longer than 2000/);
    expectScimError(() => parseFilter(`${'('.repeat(21)}a pr${')'.repeat(21)}`), 'invalidFilter', /deeper than 20/);
    expectScimError(() => parseFilter(`${'not '.repeat(30)}a pr`), 'invalidFilter', /deeper/);
    expect(() => parseFilter(`${'('.repeat(19)}a pr${')'.repeat(19)}`)).not.toThrow();
    expectScimError(() => parseFilter('('.repeat(1999)), 'invalidFilter');
  });

  it('handles long flat and/or chains iteratively', () => {
    const f = Array.from({ length: 150 }, (_, i) => `a eq ${i}`).join(' and ');
    expect((parseFilter(f) as Extract<FilterNode, { kind: 'and' | 'or' }>).filters).toHaveLength(150);
  });
});

describe('parsePath (RFC 7644 §3.5.2)', () => {
  it.each([
    ['userName', { attr: 'userName' }],
    ['name.givenName', { attr: 'name', sub: 'givenName' }],
    ['members', { attr: 'members' }],
    ['members[value eq "2819c223"]', { attr: 'members', filter: cmp('value', 'eq', '2819c223') }],
    ['emails[type eq "work"].value', { attr: 'emails', filter: cmp('type', 'eq', 'work'), sub: 'value' }],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
      { urn: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', attr: 'manager' },
    ],
    [
      'addresses[type eq "work"].streetAddress',
      { attr: 'addresses', filter: cmp('type', 'eq', 'work'), sub: 'streetAddress' },
    ],
  ])('parses %s', (input, expected) => {
    expect(parsePath(input)).toEqual(expected);
  });

  it.each([['emails[type eq "work"'], ['emails..value'], ['emails value'], ['emails[type eq "work"].'], ['"x"'], ['']])(
    'rejects %j with invalidPath',
    (input) => expectScimError(() => parsePath(input), 'invalidPath'),
  );
});

describe('matchElement', () => {
  const work = { value: 'A@X.com', type: 'work', primary: true };
  it.each([
    ['type eq "WORK"', true],
    ['value eq "a@x.com"', true],
    ['value co "@x"', true],
    ['value sw "a@"', true],
    ['value ew ".COM"', true],
    ['primary eq true', true],
    ['primary eq "True"', true],
    ['primary eq false', false],
    ['type eq "home"', false],
    ['type eq "work" and primary eq true', true],
    ['type eq "home" or primary eq true', true],
    ['not (type eq "home")', true],
    ['display pr', false],
    ['type pr', true],
    ['display eq null', true],
    ['type ne "home"', true],
    ['value gt "a"', true],
    ['value lt "a"', false],
  ])('%s -> %s', (f, expected) => {
    expect(matchElement(parseFilter(f), work)).toBe(expected);
  });
});

describe('NUL (PostgreSQL text cannot hold it)', () => {
  it.each([['userName eq "a\\u0000b"'], ['userName eq "a\u0000b"'], ['emails[value eq "\\u0000"]']])(
    'rejects %j with invalidFilter',
    (f) => {
      expect(() => parseFilter(f)).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidFilter' }));
    },
  );
  it('rejects it in a PATCH path with invalidPath', () => {
    expect(() => parsePath('emails[value eq "\\u0000"].value')).toThrow(
      expect.objectContaining({ status: 400, scimType: 'invalidPath' }),
    );
  });
});
