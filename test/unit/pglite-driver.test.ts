import { isMultiStatement } from '../../src/pglite-driver';

describe('isMultiStatement (PGlite: exec for several statements, query otherwise)', () => {
  it.each([
    ['select 1', false],
    ['select 1;', false],
    ['select 1;  \n -- done\n', false],
    ["update member set display_name = 'Smith; John' where id = 'x'", false],
    ["select * from m where lower(m.display_name) like lower('%;%') escape '\\'", false],
    ["select 'it''s; fine'", false],
    ["select E'a\\'; b'", false],
    ['select "odd;name" from t', false],
    ['select $$a; b$$, $tag$x;y$tag$', false],
    ['select 1 /* a; b */', false],
    ['select $1, $2', false],
    ['BEGIN;', false],
    ['create table a (x int); create table b (y int);', true],
    ["insert into a values ('x'); select 1", true],
    ["select 1; select 'x'", true],
  ])('%j -> %s', (sql, expected) => expect(isMultiStatement(sql)).toBe(expected));
});
