import { type EntityClass, type EntityData } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import { preparedRows } from './prepared';

/** Raw SQL with its parameters (a compiled filter). */
export interface SqlFragment {
  sql: string;
  params: unknown[];
  /**
   * The condition matches one row at most. A window of it then needs no ORDER BY, and without one PostgreSQL
   * cannot choose to walk the (organization, created_at) index through the whole organization, which it did
   * for an organization provisioned after the table's last ANALYZE (11,000 rows filtered per lookup).
   */
  atMostOneRow?: boolean;
}

/** A WHERE clause built clause by clause; values only ever as parameters. */
export class Where {
  private readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  constructor(sql: string, ...params: unknown[]) {
    this.and(sql, ...params);
  }

  and(sql: string, ...params: unknown[]): this {
    this.clauses.push(`(${sql})`);
    this.params.push(...params);
    return this;
  }

  get sql(): string {
    return this.clauses.join(' and ');
  }
}

/**
 * A PostgreSQL text[] literal bound as one parameter (`?::text[]`); elements quoted, so commas, quotes and
 * braces in a value stay inside it.
 */
export const textArray = (values: readonly string[]): string =>
  `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;

/**
 * Appended to the select of a row about to be written: holds its lock until the transaction ends, so the version
 * checked (If-Match) is the version written and two writers queue instead of one failing. NO KEY UPDATE, the lock an
 * UPDATE takes itself, so that concurrent inserts referencing the row (foreign-key checks) are not blocked.
 */
export const FOR_WRITE = ' for no key update';

/**
 * One row of `entity`'s table by plain SQL, hydrated with `em.map` (merged into the identity map): on the hot
 * paths (every write's organization, every SCIM read by id) it costs far less CPU than `em.findOne`.
 */
export async function selectOne<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  sql: string,
  params: unknown[],
): Promise<T | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(sql, params);
  return row ? em.map(entity, row as EntityData<T>) : null;
}

/** How a selection reads its rows without the ORM: the columns it selects and the mapper of one row. */
export interface RowReader<T> {
  /** The select list, on the selection's alias (e.g. `m.id, m.email, (...) as groups`). */
  columns: string;
  read: (row: Record<string, unknown>) => T;
}

/**
 * The filtered rows of one entity's table. Lists run as plain SQL hydrated with `em.map`: building the same
 * statement with the query builder cost more CPU than PostgreSQL spent running it (an IdP's `userName eq`
 * lookup went from 711 to 1,295 requests/s).
 */
export class Selection<T extends object> {
  constructor(
    private readonly em: EntityManager,
    /** An entity hydrated with `em.map`, or a RowReader for a read model built from the plain row. */
    private readonly source: EntityClass<T> | RowReader<T>,
    /** The table, e.g. `member`. */
    readonly table: string,
    /** Its alias, e.g. `m`: it prefixes every column in `where` and in the sort keys. */
    readonly alias: string,
    readonly where: Where,
  ) {}

  private run: (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]> = (sql, params) =>
    this.em.execute(sql, params);

  /** Its statements as named prepared statements (see ./prepared): for the hottest reads (a SCIM lookup). */
  prepared(): this {
    this.run = (sql, params) => preparedRows(this.em, sql, params);
    return this;
  }

  /**
   * Rows matching `where` and the extra clause, in the order and window of `tail` (ORDER BY / LIMIT / OFFSET).
   * `windowApart`: the window is chosen by a subquery of its own and the selected columns computed over it, so
   * that what the columns cost (a subquery per row) cannot sway how the window's rows are found.
   */
  async rows(extra: SqlFragment | null, tail: string, tailParams: unknown[], windowApart = false): Promise<T[]> {
    const where = extra ? `${this.where.sql} and (${extra.sql})` : this.where.sql;
    const source = this.source;
    const reader = typeof source === 'function' ? null : source;
    const columns = reader?.columns ?? `${this.alias}.*`;
    const a = this.alias;
    const rows = await this.run(
      windowApart
        ? `select ${columns} from (select * from ${this.table} ${a} where ${where} ${tail}) ${a}`
        : `select ${columns} from ${this.table} ${a} where ${where} ${tail}`,
      [...this.where.params, ...(extra?.params ?? []), ...tailParams],
    );
    if (reader) return rows.map(reader.read);
    return rows.map((row) => this.em.map(source as EntityClass<T>, row as EntityData<T>));
  }

  async count(): Promise<number> {
    const [row] = await this.run(
      `select count(*)::text as n from ${this.table} ${this.alias} where ${this.where.sql}`,
      this.where.params,
    );
    return Number(row.n);
  }

  /**
   * An offset window (SCIM startIndex/count) with its total. The total is known without counting when the
   * window is the last one: a lookup returning 0 or 1 rows costs one statement, not two.
   */
  async offsetPage(
    sortSql: string,
    descending: boolean,
    offset: number,
    limit: number,
    atMostOneRow = false,
  ): Promise<{ items: T[]; total: number }> {
    if (limit === 0) return { items: [], total: await this.count() };
    const dir = descending ? 'desc' : 'asc';
    const order = atMostOneRow ? '' : `order by ${sortSql} ${dir}, ${this.alias}.id ${dir} `;
    // A window of one row at most is found by its unique index, whatever the columns computed over it cost.
    const items = await this.rows(null, `${order}limit ? offset ?`, [limit, offset], atMostOneRow);
    const last = (items.length > 0 && items.length < limit) || (items.length === 0 && offset === 0);
    return { items, total: last ? offset + items.length : await this.count() };
  }
}
