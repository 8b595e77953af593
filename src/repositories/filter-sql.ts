/**
 * Compiles the neutral filter tree (`src/domain/resource-filter.ts`) to a parameterised SQL condition over a
 * repository's column catalogue. The SQL text is built only from the catalogue's constants; every value travels
 * as a parameter. An attribute id the catalogue does not know, or a value of the wrong type, throws: the
 * transport resolved and typed the tree, so that is a programming error, and it fails closed.
 *
 * Case rule: a caseExact=false text column compares as `lower(col) <op> lower(?)`, the one spelling the
 * `lower(...)` expression indexes serve.
 */
import { type FilterOperator, type FilterValue, type ResourceFilter } from '../domain/resource-filter';
import { isUuid } from '../domain/ids';
import { escapeLike } from '../domain/text';
import { type SqlFragment } from './selection';

export type ColumnRule =
  | { type: 'text'; sql: string; caseExact: boolean }
  | { type: 'uuid'; sql: string }
  | { type: 'timestamp'; sql: string }
  /** A boolean derived by SQL: the condition for true and the one for false. */
  | { type: 'flag'; whenTrue: string; whenFalse: string }
  /** A JSON boolean read as text (`'true'`, `'false'`, or absent = false). */
  | { type: 'jsonFlag'; sql: string };

export type Columns = Readonly<Partial<Record<string, ColumnRule>>>;

/** The condition of one element filter, and which attribute ids it read. */
export interface ElementSql {
  sql: string;
  attributes: ReadonlySet<string>;
}

/** Builds `some element of <attribute> matches` from the element filter compiled over the given columns. */
export type MultiValuedRule = (element: (columns: Columns) => ElementSql) => string;

export interface FilterCatalogue {
  columns: Columns;
  multiValued: Readonly<Partial<Record<string, MultiValuedRule>>>;
  /** Attribute ids unique within an organization: `eq` on one pins at most one row. */
  unique: ReadonlySet<string>;
}

const FALSE = '1=0';
const TRUE = '1=1';
const ORDER_OPS: Partial<Record<FilterOperator, string>> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };

const own = <T>(table: Readonly<Partial<Record<string, T>>>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

function fail(detail: string): never {
  throw new Error(`filter compiler: ${detail}`);
}

class FilterCompiler {
  readonly params: unknown[] = [];
  private used: Set<string> | undefined;
  private inElement = false;

  constructor(private readonly catalogue: FilterCatalogue) {}

  node(n: ResourceFilter, columns: Columns): string {
    switch (n.kind) {
      case 'and':
      case 'or':
        if (!n.filters.length) fail(`empty "${n.kind}"`);
        return `(${n.filters.map((f) => this.node(f, columns)).join(` ${n.kind} `)})`;
      case 'not':
        // SQL NULL (absent attribute) counts as "does not match", so `not` of it matches
        return `(not coalesce(${this.node(n.filter, columns)}, false))`;
      case 'present':
        return presence(this.column(columns, n.attribute));
      case 'compare':
        return this.compare(this.column(columns, n.attribute), n.op, n.value);
      case 'some': {
        if (this.inElement) fail('value filters cannot be nested');
        const rule = own(this.catalogue.multiValued, n.attribute) ?? fail(`unknown multi-valued "${n.attribute}"`);
        return rule((elementColumns) => {
          this.inElement = true;
          this.used = new Set();
          try {
            return { sql: this.node(n.filter, elementColumns), attributes: this.used };
          } finally {
            this.inElement = false;
            this.used = undefined;
          }
        });
      }
    }
  }

  private column(columns: Columns, attribute: string): ColumnRule {
    const rule = own(columns, attribute) ?? fail(`unknown attribute "${attribute}"`);
    this.used?.add(attribute);
    return rule;
  }

  private param(v: unknown): '?' {
    this.params.push(v);
    return '?';
  }

  private compare(rule: ColumnRule, op: FilterOperator, value: FilterValue): string {
    switch (rule.type) {
      case 'text':
        return this.text(rule.sql, rule.caseExact, op, value);
      case 'uuid':
        if (op !== 'eq' && op !== 'ne') fail(`ids compare with eq or ne, not ${op}`);
        if (value === null) return nullCompare(rule.sql, op);
        // not a UUID (Entra probes with random GUID-like strings): matches nothing
        if (typeof value !== 'string' || !isUuid(value)) return op === 'eq' ? FALSE : TRUE;
        return `${rule.sql} ${op === 'eq' ? '=' : '<>'} ${this.param(value.toLowerCase())}::uuid`;
      case 'timestamp': {
        if (value === null) return nullCompare(rule.sql, op);
        const sqlOp = ORDER_OPS[op] ?? fail(`timestamps do not compare with ${op}`);
        if (!(value instanceof Date)) fail('a timestamp compares with a date');
        return `${rule.sql} ${sqlOp} ${this.param(value.toISOString())}::timestamptz`;
      }
      case 'flag':
        return booleanOf(op, value) ? rule.whenTrue : rule.whenFalse;
      case 'jsonFlag':
        return `coalesce(lower(${rule.sql}), 'false') ${booleanOf(op, value) ? '=' : '<>'} 'true'`;
    }
  }

  private text(col: string, caseExact: boolean, op: FilterOperator, value: FilterValue): string {
    if (value === null) return nullCompare(col, op);
    if (typeof value !== 'string') fail('a text attribute compares with a string');
    const lhs = caseExact ? col : `lower(${col})`;
    const rhs = (p: string) => (caseExact ? this.param(p) : `lower(${this.param(p)})`);
    switch (op) {
      case 'eq':
        return `${lhs} = ${rhs(value)}`;
      case 'ne':
        return `(${col} is null or ${lhs} <> ${rhs(value)})`;
      case 'co':
        return `${lhs} like ${rhs(`%${escapeLike(value)}%`)} escape '\\'`;
      case 'sw':
        return `${lhs} like ${rhs(`${escapeLike(value)}%`)} escape '\\'`;
      case 'ew':
        return `${lhs} like ${rhs(`%${escapeLike(value)}`)} escape '\\'`;
      case 'gt':
        return `${lhs} > ${rhs(value)}`;
      case 'ge':
        return `${lhs} >= ${rhs(value)}`;
      case 'lt':
        return `${lhs} < ${rhs(value)}`;
      case 'le':
        return `${lhs} <= ${rhs(value)}`;
    }
  }
}

function presence(rule: ColumnRule): string {
  switch (rule.type) {
    case 'text':
      return `(${rule.sql} is not null and ${rule.sql} <> '')`;
    case 'uuid':
    case 'timestamp':
    case 'jsonFlag':
      return `${rule.sql} is not null`;
    case 'flag':
      return TRUE;
  }
}

function nullCompare(col: string, op: FilterOperator): string {
  if (op === 'eq') return `${col} is null`;
  if (op === 'ne') return `${col} is not null`;
  return fail(`null compares with eq or ne, not ${op}`);
}

function booleanOf(op: FilterOperator, value: FilterValue): boolean {
  if (typeof value !== 'boolean' || (op !== 'eq' && op !== 'ne'))
    fail('a boolean compares with eq or ne and a boolean');
  return op === 'eq' ? value : !value;
}

/** Whether the filter pins one row at most: an `eq` on a unique attribute, alone or and-ed with more. */
function pinsOneRow(catalogue: FilterCatalogue, n: ResourceFilter): boolean {
  if (n.kind === 'and') return n.filters.some((f) => pinsOneRow(catalogue, f));
  return n.kind === 'compare' && n.op === 'eq' && n.value !== null && catalogue.unique.has(n.attribute);
}

/** The ORDER BY expression of a sort attribute; an attribute the table has no column for fails closed. */
export function sortColumn(columns: Readonly<Record<string, string>>, attribute: string): string {
  return own(columns, attribute) ?? fail(`cannot sort by "${attribute}"`);
}

/** The SQL condition of `filter` over `catalogue`, values as parameters. */
export function compileFilter(catalogue: FilterCatalogue, filter: ResourceFilter): SqlFragment {
  const compiler = new FilterCompiler(catalogue);
  const sql = compiler.node(filter, catalogue.columns);
  return pinsOneRow(catalogue, filter)
    ? { sql, params: compiler.params, atMostOneRow: true }
    : { sql, params: compiler.params };
}
