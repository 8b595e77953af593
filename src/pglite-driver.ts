import { AbstractSqlDriver, type Configuration, PostgreSqlPlatform } from '@mikro-orm/postgresql';
import type { PGliteInterface } from '@electric-sql/pglite';
import { PGliteConnection, PGliteKnexDialect, type QueryObject } from 'mikro-orm-pglite';

/** The slice of PGlite the knex dialect calls. */
interface PGliteLike {
  query(sql: string, params?: unknown[]): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
}

interface RawQuery {
  sql: string;
  bindings?: unknown[];
  method?: string;
  response?: unknown;
}

const IDENT = /[A-Za-z0-9_$]/;

/**
 * Whether `sql` holds more than one statement: a `;` outside string literals (standard and `E'...'`), quoted
 * identifiers, dollar quotes and comments, with more SQL after it.
 */
export function isMultiStatement(sql: string): boolean {
  const n = sql.length;
  let separated = false;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if (c === "'") {
      const escapes = i > 0 && /[Ee]/.test(sql[i - 1]) && (i < 2 || !IDENT.test(sql[i - 2]));
      i++;
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
    } else if (c === '"') {
      i++;
      while (i < n && !(sql[i] === '"' && sql[i + 1] !== '"')) i += sql[i] === '"' ? 2 : 1;
      i++;
    } else if (
      c === '$' &&
      (i === 0 || !IDENT.test(sql[i - 1])) &&
      /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i, i + 65))
    ) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 65))![0];
      const end = sql.indexOf(tag, i + tag.length);
      i = end < 0 ? n : end + tag.length;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
      continue;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    } else if (c === ';') {
      separated = true;
      i++;
      continue;
    } else {
      if (!/\s/.test(c) && separated) return true;
      i++;
      continue;
    }
    if (separated) return true; // a literal or quoted name after a `;` starts another statement
  }
  return false;
}

/**
 * knex-pglite's `_query`, except for how it tells one statement from several. It sends a raw query through
 * PGlite's `exec` (no bindings, one result per statement) as soon as its text splits on `;` into more than one
 * part; MikroORM inlines values into raw SQL, so any value containing a `;` ("Smith; John", a SCIM filter
 * `displayName co ";"`) was sent through `exec` and its result misread: failed reads (500) and writes reported as
 * lost optimistic-lock races. Only a `;` that really separates statements counts here.
 */
async function query(connection: PGliteLike, obj: RawQuery): Promise<RawQuery> {
  if (!obj.sql) throw new Error('The query is empty');
  if (obj.method === 'raw' && isMultiStatement(obj.sql)) obj.response = await connection.exec(obj.sql);
  else obj.response = await connection.query(obj.sql, obj.bindings ?? []);
  return obj;
}

// A subclass, not an instance property: knex builds each transaction's client from the dialect's prototype.
class Dialect extends PGliteKnexDialect {
  override _query(connection: PGliteInterface, obj: QueryObject): Promise<QueryObject> {
    return query(
      connection as unknown as PGliteLike,
      obj as unknown as Parameters<typeof query>[1],
    ) as unknown as Promise<QueryObject>;
  }
}

/** PGliteConnection.createKnex with the dialect above (the rest as in mikro-orm-pglite 0.5.1). */
class Connection extends PGliteConnection {
  override createKnex(): void {
    const self = this as unknown as {
      client: unknown;
      connected: boolean;
      dialectDataSource: unknown;
      createKnexClient(dialect: unknown): unknown;
    };
    self.client = self.createKnexClient(Dialect);
    const client = this.getKnex().client as { ormConfig?: unknown; driver?: unknown };
    client.ormConfig = this.config;
    client.driver = self.dialectDataSource;
    self.connected = true;
  }
}

/** mikro-orm-pglite's driver with the statement detection above; otherwise the same. */
export class PGliteDriver extends AbstractSqlDriver<PGliteConnection> {
  constructor(config: Configuration) {
    super(config, new PostgreSqlPlatform(), Connection, ['knex', '@electric-sql/pglite', '@harryplusplus/knex-pglite']);
  }
}
