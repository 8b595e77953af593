import { PostgreSqlDriver, type EntityManager } from '@mikro-orm/postgresql';
import { type Row } from './rows';

/**
 * Hot reads as named prepared statements on PostgreSQL. MikroORM sends every statement as a simple query with its
 * values formatted into the text (its query formatting, knex's runner, then PostgreSQL parsing and planning the
 * text each time); a named statement on the same pooled connection is parsed once per connection and then costs a
 * Bind and an Execute. The connection comes from the ORM's own pool (its type parsers, so rows read the same), and
 * the statement is announced to the pool's `query` listeners like every other (the statement-count tests see it).
 * Inside a transaction it runs on the transaction's connection. On PGlite the statement goes the ORM's way.
 */

/** Distinct statement texts given a name; past this, texts run unnamed (parsed each time, as before). */
const MAX_NAMED = 100;
/** `cached plan must not change result type`: a migration changed a table under a prepared `select *`. */
const PLAN_CHANGED = '0A000';

const names = new Map<string, string>();
let generation = 0;

interface PgConnection {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
}

interface PooledClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
  emit(event: 'query', data: { sql: string; bindings: unknown[]; method: 'raw' }): boolean;
}

/**
 * `?` placeholders (MikroORM's) as `$1`, `$2`…, outside string literals and quoted identifiers; null when the
 * text has `??` (an identifier binding) or not exactly one `?` per value.
 */
export function numberedPlaceholders(sql: string, values: number): string | null {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '?') {
      if (sql[i + 1] === '?') return null;
      out += `$${++n}`;
      continue;
    }
    out += c;
  }
  return n === values ? out : null;
}

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known || names.size >= MAX_NAMED) return known;
  const name = `orgd_${generation}_${names.size}`;
  names.set(text, name);
  return name;
}

/** The rows of one statement (`?` placeholders), prepared once per connection on PostgreSQL. */
export async function preparedRows(em: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
  const text = em.getDriver() instanceof PostgreSqlDriver ? textOf(sql, params) : null;
  if (text === null) return em.execute<Row[]>(sql, params);
  const pool = em.getConnection().getKnex().client as PooledClient;
  // A transaction's client hands out the transaction's connection and keeps it on release.
  const client = em.getTransactionContext<{ client: PooledClient }>()?.client ?? pool;
  pool.emit('query', { sql, bindings: params, method: 'raw' });
  const connection = await client.acquireConnection();
  try {
    try {
      return (await connection.query({ name: nameOf(text), text, values: params })).rows;
    } catch (err) {
      if ((err as { code?: string }).code !== PLAN_CHANGED) throw err;
      // Prepared before the table changed: every connection's copy is stale; name the text afresh.
      names.clear();
      generation++;
      return (await connection.query({ text, values: params })).rows;
    }
  } catch (err) {
    throw em.getDriver().convertException(err as Error);
  } finally {
    await client.releaseConnection(connection);
  }
}

const texts = new Map<string, string | null>();

/** The numbered text of `sql`, remembered for the texts that get a name. */
function textOf(sql: string, params: unknown[]): string | null {
  const known = texts.get(sql);
  if (known !== undefined) return known;
  const text = numberedPlaceholders(sql, params.length);
  if (texts.size < MAX_NAMED) texts.set(sql, text);
  return text;
}
