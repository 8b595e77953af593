/**
 * SCIM filters compiled to SQL over an allow-list of attributes (RFC 7644 §3.4.2.2), and the `sortBy` allow-list
 * (RFC 7644 §3.4.2.3).
 *
 * Output is a knex-style raw fragment `{ sql, params }` with `?` placeholders, over table alias `m` (member = SCIM
 * User) or `g` (member_group = SCIM Group). Client values only ever travel as params; the SQL text is built from
 * constants of this file. Unknown attributes, unsupported operators and malformed values are ScimError 400
 * `invalidFilter`, never a database error.
 *
 * Case rules (RFC 7643 §2.2, §7 caseExact): caseExact=false attributes compare as `lower(col) <op> lower(?)` so the
 * query can use the `lower(...)` expression indexes; caseExact=true ones compare the column as is.
 */
import { ScimError } from './errors';
import { type AttrPath, type CompareOp, type CompValue, type FilterNode, parseFilter } from './filter-parser';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  isUuid,
  LEGACY_CORE_SCHEMA,
  LEGACY_ENTERPRISE_SCHEMA,
  type ScimResourceType,
  USER_SCHEMA,
} from './types';
import { escapeLike } from '../../domain/text';
import type { SqlFragment } from '../../repositories/selection';

export { parseFilter, parsePath, matchElement, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from './filter-parser';
export type { AttrPath, CompareOp, CompValue, FilterNode, ScimPath } from './filter-parser';

// A compiled filter is the repositories' raw-SQL fragment: values only as parameters, and `atMostOneRow` when it
// pins one row (`userName`, `externalId` or `id` eq: every IdP's lookup-before-create).
export type { SqlFragment };

type AttrDef =
  | { type: 'string'; col: string; caseExact: boolean }
  | { type: 'uuid'; col: string }
  | { type: 'datetime'; col: string }
  | { type: 'active' }
  /** Multi-valued: `emails` of a member (m.email plus the m.emails jsonb array). */
  | { type: 'emails'; sub: 'value' | 'type' | 'primary' }
  /** Multi-valued reference through group_membership: `members` of a group, `groups` of a member. */
  | { type: 'membership'; exists: string; col: string };

const FALSE = '1=0';
const TRUE = '1=1';

const MEMBERS: AttrDef = {
  type: 'membership',
  exists: 'select 1 from group_membership gm where gm.group_id = g.id',
  col: 'gm.member_id',
};
const GROUPS: AttrDef = {
  type: 'membership',
  exists: 'select 1 from group_membership gm where gm.member_id = m.id',
  col: 'gm.group_id',
};

/** SCIM User (member, alias m). Keys are lower-case `attr` or `attr.sub`; `ext:` marks enterprise attributes. */
const USER_CORE: Record<string, AttrDef> = {
  id: { type: 'uuid', col: 'm.id' },
  externalid: { type: 'string', col: 'm.external_id', caseExact: true },
  username: { type: 'string', col: 'm.user_name', caseExact: false },
  displayname: { type: 'string', col: 'm.display_name', caseExact: false },
  'name.givenname': { type: 'string', col: 'm.given_name', caseExact: false },
  'name.familyname': { type: 'string', col: 'm.family_name', caseExact: false },
  'name.formatted': { type: 'string', col: 'm.formatted_name', caseExact: false },
  emails: { type: 'emails', sub: 'value' },
  'emails.value': { type: 'emails', sub: 'value' },
  'emails.type': { type: 'emails', sub: 'type' },
  'emails.primary': { type: 'emails', sub: 'primary' },
  active: { type: 'active' },
  groups: GROUPS,
  'groups.value': GROUPS,
  'meta.created': { type: 'datetime', col: 'm.created_at' },
  'meta.lastmodified': { type: 'datetime', col: 'm.updated_at' },
};
const USER_ENTERPRISE: Record<string, AttrDef> = {
  employeenumber: { type: 'string', col: 'm.employee_number', caseExact: false },
  department: { type: 'string', col: 'm.department', caseExact: false },
  manager: { type: 'string', col: 'm.manager', caseExact: true },
  'manager.value': { type: 'string', col: 'm.manager', caseExact: true },
};
/** SCIM Group (member_group, alias g). */
const GROUP_CORE: Record<string, AttrDef> = {
  id: { type: 'uuid', col: 'g.id' },
  externalid: { type: 'string', col: 'g.external_id', caseExact: true },
  displayname: { type: 'string', col: 'g.display_name', caseExact: false },
  members: MEMBERS,
  'members.value': MEMBERS,
  'meta.created': { type: 'datetime', col: 'g.created_at' },
  'meta.lastmodified': { type: 'datetime', col: 'g.updated_at' },
};

const CORE_URNS: Record<ScimResourceType, string[]> = {
  User: [USER_SCHEMA.toLowerCase(), LEGACY_CORE_SCHEMA],
  Group: [GROUP_SCHEMA.toLowerCase(), LEGACY_CORE_SCHEMA],
};
const ENTERPRISE_URNS = [ENTERPRISE_USER_SCHEMA.toLowerCase(), LEGACY_ENTERPRISE_SCHEMA];

const displayPath = (p: AttrPath) => `${p.urn ? `${p.urn}:` : ''}${p.attr}${p.sub ? `.${p.sub}` : ''}`;

/**
 * Resolves `[urn:]attr[.sub]` against the allow-list (names case-insensitive, RFC 7643 §2.1). Enterprise attributes
 * are accepted with or without their URN; a core attribute under the enterprise URN (or an unknown URN) is not.
 */
function resolve(resource: ScimResourceType, path: AttrPath): AttrDef | undefined {
  const key = path.sub ? `${path.attr}.${path.sub}`.toLowerCase() : path.attr.toLowerCase();
  const urn = path.urn?.toLowerCase();
  const core = resource === 'User' ? USER_CORE : GROUP_CORE;
  const ext = resource === 'User' ? USER_ENTERPRISE : {};
  const own = (table: Record<string, AttrDef>) =>
    Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  if (urn === undefined) return own(core) ?? own(ext);
  if (CORE_URNS[resource].includes(urn)) return own(core);
  if (resource === 'User' && ENTERPRISE_URNS.includes(urn)) return own(ext);
  return undefined;
}

const invalid = (detail: string) => new ScimError(400, 'invalidFilter', detail);

/** Escapes `\`, `%` and `_` for `like ? escape '\'`. */

class Compiler {
  readonly params: unknown[] = [];

  constructor(private readonly resource: ScimResourceType) {}

  node(n: FilterNode): string {
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${n.filters.map((f) => this.node(f)).join(` ${n.kind} `)})`;
      case 'not':
        // SQL NULL (absent attribute) counts as "does not match", so `not` of it matches
        return `(not coalesce(${this.node(n.filter)}, false))`;
      case 'present':
      case 'compare':
        return this.attribute(n.path, n);
      case 'valuePath':
        return this.valuePath(n.path, n.filter);
    }
  }

  private def(path: AttrPath): AttrDef {
    const def = resolve(this.resource, path);
    if (!def) throw invalid(`unknown or unsupported attribute "${displayPath(path)}" for ${this.resource} filters`);
    return def;
  }

  /** `attr op value` / `attr pr` on a top-level (or `attr.sub`) path. */
  private attribute(path: AttrPath, n: Extract<FilterNode, { kind: 'compare' | 'present' }>): string {
    const def = this.def(path);
    const name = displayPath(path);
    switch (def.type) {
      case 'string':
        return n.kind === 'present' ? presentString(def.col) : this.string(name, def.col, def.caseExact, n.op, n.value);
      case 'uuid':
        return n.kind === 'present' ? TRUE : this.uuid(name, def.col, n.op, n.value);
      case 'datetime':
        return n.kind === 'present' ? `${def.col} is not null` : this.datetime(name, def.col, n.op, n.value);
      case 'active':
        return n.kind === 'present' ? TRUE : active(name, n.op, n.value);
      case 'emails': {
        // `emails op v` means "some email's <sub> op v"
        const relative: AttrPath = { attr: def.sub };
        const element: FilterNode =
          n.kind === 'present'
            ? { kind: 'present', path: relative }
            : { kind: 'compare', path: relative, op: n.op, value: n.value };
        return this.emails(element);
      }
      case 'membership': {
        const element: FilterNode =
          n.kind === 'present'
            ? { kind: 'present', path: { attr: 'value' } }
            : { kind: 'compare', path: { attr: 'value' }, op: n.op, value: n.value };
        return this.membership(def, element, name);
      }
    }
  }

  /** `attr[filter]` (RFC 7644 §3.4.2.2 valuePath): some element of the multi-valued attribute matches `filter`. */
  private valuePath(path: AttrPath, filter: FilterNode): string {
    const def = path.sub ? undefined : resolve(this.resource, path);
    if (def?.type === 'emails' && path.attr.toLowerCase() === 'emails') return this.emails(filter);
    if (def?.type === 'membership' && !path.sub) return this.membership(def, filter, displayPath(path));
    throw invalid(`"${displayPath(path)}" is not a multi-valued attribute that supports value filters`);
  }

  /**
   * Emails match against the elements of the `m.emails` jsonb array, and also against `m.email` (the login email,
   * which members created outside SCIM have without any array). That virtual element counts as a primary work email;
   * it is consulted for `type`/`primary` conditions only when the member has no emails array.
   */
  private emails(element: FilterNode): string {
    const usesTypeOrPrimary = { value: false };
    const arrayExpr = "case when jsonb_typeof(m.emails) = 'array' then m.emails else '[]'::jsonb end";
    const inArray = this.element(
      element,
      {
        value: "(e->>'value')",
        type: "(e->>'type')",
        primary: "(e->>'primary')",
      },
      usesTypeOrPrimary,
    );
    const virtual = this.element(element, { value: 'm.email', type: "'work'", primary: "'true'" }, usesTypeOrPrimary);
    const guard = usesTypeOrPrimary.value
      ? `(case when jsonb_typeof(m.emails) = 'array' then jsonb_array_length(m.emails) else 0 end) = 0 and `
      : '';
    return `(exists (select 1 from jsonb_array_elements(${arrayExpr}) e where ${inArray}) or (${guard}${virtual}))`;
  }

  private element(
    n: FilterNode,
    cols: { value: string; type: string; primary: string },
    uses: { value: boolean },
  ): string {
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${n.filters.map((f) => this.element(f, cols, uses)).join(` ${n.kind} `)})`;
      case 'not':
        return `(not coalesce(${this.element(n.filter, cols, uses)}, false))`;
      case 'valuePath':
        throw invalid('value filters cannot be nested');
      case 'present':
      case 'compare': {
        const sub = n.path.sub ? undefined : n.path.attr.toLowerCase();
        const name = `emails.${n.path.attr}`;
        if (sub === 'value') {
          return n.kind === 'present' ? presentString(cols.value) : this.string(name, cols.value, false, n.op, n.value);
        }
        if (sub === 'type') {
          uses.value = true;
          return n.kind === 'present' ? presentString(cols.type) : this.string(name, cols.type, false, n.op, n.value);
        }
        if (sub === 'primary') {
          uses.value = true;
          if (n.kind === 'present') return `${cols.primary} is not null`;
          const want = booleanValue(name, n.op, n.value);
          return `coalesce(lower(${cols.primary}), 'false') ${want ? '=' : '<>'} 'true'`;
        }
        throw invalid(
          `unknown or unsupported attribute "${displayPath({ attr: 'emails', sub: n.path.attr })}" in filter`,
        );
      }
    }
  }

  /** `members`/`groups` through group_membership; only `value` (the id) is filterable, with eq / ne / pr. */
  private membership(def: Extract<AttrDef, { type: 'membership' }>, n: FilterNode, name: string): string {
    return `exists (${def.exists} and ${this.membershipElement(def, n, name)})`;
  }

  private membershipElement(def: Extract<AttrDef, { type: 'membership' }>, n: FilterNode, name: string): string {
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${n.filters.map((f) => this.membershipElement(def, f, name)).join(` ${n.kind} `)})`;
      case 'not':
        return `(not coalesce(${this.membershipElement(def, n.filter, name)}, false))`;
      case 'valuePath':
        throw invalid('value filters cannot be nested');
      case 'present':
      case 'compare':
        if (n.path.sub || n.path.attr.toLowerCase() !== 'value') {
          throw invalid(
            `unknown or unsupported attribute "${name}.${n.path.attr}" in filter (only "value" is supported)`,
          );
        }
        if (n.kind === 'present') return TRUE;
        if (n.op !== 'eq' && n.op !== 'ne') throw invalid(`"${name}.value" supports only eq, ne and pr`);
        return this.uuid(`${name}.value`, def.col, n.op, n.value);
    }
  }

  private param(v: unknown): '?' {
    this.params.push(v);
    return '?';
  }

  private string(name: string, col: string, caseExact: boolean, op: CompareOp, value: CompValue): string {
    if (value === null) return nullCompare(name, col, op);
    if (typeof value === 'boolean') throw invalid(`"${name}" is a string attribute; compare it with a quoted string`);
    const v = String(value);
    const lhs = caseExact ? col : `lower(${col})`;
    const rhs = (p: string) => (caseExact ? this.param(p) : `lower(${this.param(p)})`);
    switch (op) {
      case 'eq':
        return `${lhs} = ${rhs(v)}`;
      case 'ne':
        return `(${col} is null or ${lhs} <> ${rhs(v)})`;
      case 'co':
        return `${lhs} like ${rhs(`%${escapeLike(v)}%`)} escape '\\'`;
      case 'sw':
        return `${lhs} like ${rhs(`${escapeLike(v)}%`)} escape '\\'`;
      case 'ew':
        return `${lhs} like ${rhs(`%${escapeLike(v)}`)} escape '\\'`;
      case 'gt':
        return `${lhs} > ${rhs(v)}`;
      case 'ge':
        return `${lhs} >= ${rhs(v)}`;
      case 'lt':
        return `${lhs} < ${rhs(v)}`;
      case 'le':
        return `${lhs} <= ${rhs(v)}`;
    }
  }

  /** Ids are uuid columns: a value that is not a UUID matches nothing (Entra probes with random GUID strings). */
  private uuid(name: string, col: string, op: CompareOp, value: CompValue): string {
    if (op !== 'eq' && op !== 'ne') throw invalid(`"${name}" supports only eq, ne and pr`);
    if (value === null) return nullCompare(name, col, op);
    if (!isUuid(value)) return op === 'eq' ? FALSE : TRUE;
    return `${col} ${op === 'eq' ? '=' : '<>'} ${this.param(value.toLowerCase())}::uuid`;
  }

  /** meta.created / meta.lastModified (RFC 7643 §3.1 DateTime, xsd:dateTime). */
  private datetime(name: string, col: string, op: CompareOp, value: CompValue): string {
    if (value === null) return nullCompare(name, col, op);
    const sqlOp = ORDER_OPS[op];
    if (!sqlOp) throw invalid(`"${name}" is a dateTime; use eq, ne, gt, ge, lt, le or pr`);
    const time = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(time)) throw invalid(`"${name}" must be compared with an ISO 8601 date-time string`);
    return `${col} ${sqlOp} ${this.param(new Date(time).toISOString())}::timestamptz`;
  }
}

const ORDER_OPS: Partial<Record<CompareOp, string>> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };

const presentString = (col: string) => `(${col} is not null and ${col} <> '')`;

function nullCompare(name: string, col: string, op: CompareOp): string {
  if (op === 'eq') return `${col} is null`;
  if (op === 'ne') return `${col} is not null`;
  throw invalid(`"${name}" cannot be compared with null using ${op}`);
}

/** Boolean compValue: true / false, also the strings "True" / "false" some IdPs send. */
function booleanValue(name: string, op: CompareOp, value: CompValue): boolean {
  if (op !== 'eq' && op !== 'ne') throw invalid(`"${name}" is a boolean; use eq, ne or pr`);
  let b: boolean;
  if (typeof value === 'boolean') b = value;
  else if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) b = value.trim().toLowerCase() === 'true';
  else throw invalid(`"${name}" is a boolean; compare it with true or false`);
  return op === 'eq' ? b : !b;
}

/** `active` is derived from the member status: every status but REVOKED is active. */
function active(name: string, op: CompareOp, value: CompValue): string {
  return booleanValue(name, op, value) ? "(m.status <> 'REVOKED')" : "(m.status = 'REVOKED')";
}

/**
 * Compiles a SCIM filter (text or parsed) for `User` (alias m) or `Group` (alias g) into a SQL boolean expression.
 * Throws ScimError 400 `invalidFilter` for bad syntax, unknown attributes, unsupported operators or values.
 */
export function compileFilter(resource: ScimResourceType, filter: string | FilterNode): SqlFragment {
  const node = typeof filter === 'string' ? parseFilter(filter) : filter;
  const compiler = new Compiler(resource);
  const sql = compiler.node(node);
  return pinsOneRow(resource, node)
    ? { sql, params: compiler.params, atMostOneRow: true }
    : { sql, params: compiler.params };
}

/** Columns unique within an organization (unique indexes; user_name case-insensitively, as compared). */
const UNIQUE_COLUMNS = new Set(['m.id', 'm.user_name', 'm.external_id', 'g.id', 'g.external_id']);

function pinsOneRow(resource: ScimResourceType, node: FilterNode): boolean {
  if (node.kind === 'and') return node.filters.some((f) => pinsOneRow(resource, f));
  if (node.kind !== 'compare' || node.op !== 'eq' || node.value === null) return false; // `eq null` is `is null`: many rows
  const def = resolve(resource, node.path);
  return def !== undefined && 'col' in def && UNIQUE_COLUMNS.has(def.col);
}

export const compileUserFilter = (filter: string | FilterNode) => compileFilter('User', filter);
export const compileGroupFilter = (filter: string | FilterNode) => compileFilter('Group', filter);

/**
 * `sortBy` allow-list (RFC 7644 §3.4.2.3): lower-case attribute path -> SQL order expression. caseExact=false
 * attributes sort case-insensitively. Multi-valued `emails` sorts by the login email (the primary one).
 */
export const USER_SORT_COLUMNS: Readonly<Record<string, string>> = {
  id: 'm.id',
  externalid: 'm.external_id',
  username: 'lower(m.user_name)',
  displayname: 'lower(m.display_name)',
  'name.givenname': 'lower(m.given_name)',
  'name.familyname': 'lower(m.family_name)',
  'name.formatted': 'lower(m.formatted_name)',
  emails: 'lower(m.email)',
  'emails.value': 'lower(m.email)',
  active: "(m.status <> 'REVOKED')",
  employeenumber: 'lower(m.employee_number)',
  department: 'lower(m.department)',
  manager: 'm.manager',
  'manager.value': 'm.manager',
  'meta.created': 'm.created_at',
  'meta.lastmodified': 'm.updated_at',
};

export const GROUP_SORT_COLUMNS: Readonly<Record<string, string>> = {
  id: 'g.id',
  externalid: 'g.external_id',
  displayname: 'lower(g.display_name)',
  'meta.created': 'g.created_at',
  'meta.lastmodified': 'g.updated_at',
};

/**
 * The SQL order expression for a `sortBy` value (case-insensitive, URN-qualified names accepted), or undefined when
 * the attribute is not sortable (the caller decides: ignore, or 400 `invalidValue`).
 */
export function sortColumn(resource: ScimResourceType, sortBy: string): string | undefined {
  if (typeof sortBy !== 'string') return undefined;
  const text = sortBy.trim();
  let urn: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    urn = text.slice(0, text.lastIndexOf(':')).toLowerCase();
    rest = text.slice(text.lastIndexOf(':') + 1);
  }
  const key = rest.toLowerCase();
  const table = resource === 'User' ? USER_SORT_COLUMNS : GROUP_SORT_COLUMNS;
  if (!Object.prototype.hasOwnProperty.call(table, key)) return undefined;
  if (urn !== undefined) {
    const isEnterpriseKey = Object.prototype.hasOwnProperty.call(USER_ENTERPRISE, key);
    const ok =
      resource === 'User' && isEnterpriseKey ? ENTERPRISE_URNS.includes(urn) : CORE_URNS[resource].includes(urn);
    if (!ok) return undefined;
  }
  return table[key];
}
