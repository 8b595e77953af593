/**
 * SCIM filters (RFC 7644 §3.4.2.2) resolved against the attribute registry into the neutral filter tree of
 * `src/domain/resource-filter.ts`, and `sortBy` (RFC 7644 §3.4.2.3) into a sort attribute. No SQL here: a
 * repository compiles the tree over its own columns.
 *
 * Unknown attributes, unsupported operators and malformed values are ScimError 400 `invalidFilter`. Values come
 * out typed: strings (numbers read as their text), booleans (also `"True"`/`"false"` strings), dates.
 */
import {
  type ResolvedAttribute,
  type ScimAttribute,
  type ScimResourceDeclaration,
  resolveAttribute,
  valueSubAttribute,
} from './attributes';
import { ScimError } from './errors';
import { type AttrPath, type CompareOp, type CompValue, type FilterNode, parseFilter } from './filter-parser';
import { type FilterValue, type ResourceFilter, type ResourceSort } from '../../domain/resource-filter';

export { parseFilter, parsePath, matchElement, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from './filter-parser';
export type { AttrPath, CompareOp, CompValue, FilterNode, ScimPath } from './filter-parser';

const invalid = (detail: string) => new ScimError(400, 'invalidFilter', detail);

const displayPath = (p: AttrPath) => `${p.urn ? `${p.urn}:` : ''}${p.attr}${p.sub ? `.${p.sub}` : ''}`;

/** A filterable leaf: the attribute whose `filter` id a comparison names. */
interface Leaf {
  attribute: ScimAttribute & { filter: string };
  /** Its multi-valued parent, when the leaf is an element attribute (`emails.value`). */
  multiValued?: ScimAttribute;
}

/** `attr` or `attr.sub` -> the filterable leaf; a complex attribute named alone stands for its `value`. */
function leafOf(found: ResolvedAttribute | undefined): Leaf | undefined {
  if (!found || found.ignored) return undefined;
  const { attribute, sub } = found;
  const target = sub ?? (attribute.subAttributes ? valueSubAttribute(attribute) : attribute);
  if (!target?.filter) return undefined;
  const leaf = { attribute: target as Leaf['attribute'] };
  return target !== attribute && attribute.multiValued ? { ...leaf, multiValued: attribute } : leaf;
}

class Resolver {
  constructor(private readonly resource: ScimResourceDeclaration) {}

  node(n: FilterNode): ResourceFilter {
    switch (n.kind) {
      case 'and':
      case 'or':
        return { kind: n.kind, filters: n.filters.map((f) => this.node(f)) };
      case 'not':
        return { kind: 'not', filter: this.node(n.filter) };
      case 'present':
      case 'compare': {
        const leaf = leafOf(resolveAttribute(this.resource, n.path));
        if (!leaf) {
          throw invalid(
            `unknown or unsupported attribute "${displayPath(n.path)}" for ${this.resource.resourceType} filters`,
          );
        }
        const condition = this.leaf(leaf.attribute, n, displayPath(n.path));
        // `emails.value eq x` means "some email's value eq x"
        return leaf.multiValued ? { kind: 'some', attribute: leaf.multiValued.name, filter: condition } : condition;
      }
      case 'valuePath':
        return this.valuePath(n.path, n.filter);
    }
  }

  /** `attr[filter]`: some element of the multi-valued attribute matches `filter`. */
  private valuePath(path: AttrPath, filter: FilterNode): ResourceFilter {
    const found = path.sub ? undefined : resolveAttribute(this.resource, path);
    const attribute = found && !found.ignored ? found.attribute : undefined;
    if (!attribute?.multiValued || !attribute.subAttributes?.some((s) => s.filter)) {
      throw invalid(`"${displayPath(path)}" is not a multi-valued attribute that supports value filters`);
    }
    return { kind: 'some', attribute: attribute.name, filter: this.element(attribute, filter) };
  }

  /** A value filter, whose names are sub-attributes of `parent`. */
  private element(parent: ScimAttribute, n: FilterNode): ResourceFilter {
    switch (n.kind) {
      case 'and':
      case 'or':
        return { kind: n.kind, filters: n.filters.map((f) => this.element(parent, f)) };
      case 'not':
        return { kind: 'not', filter: this.element(parent, n.filter) };
      case 'valuePath':
        throw invalid('value filters cannot be nested');
      case 'present':
      case 'compare': {
        const name = `${parent.name}.${n.path.attr}`;
        const sub =
          n.path.sub || n.path.urn
            ? undefined
            : parent.subAttributes?.find((s) => s.name.toLowerCase() === n.path.attr.toLowerCase());
        if (!sub?.filter) throw invalid(`unknown or unsupported attribute "${name}" in filter`);
        return this.leaf(sub as Leaf['attribute'], n, name);
      }
    }
  }

  /** A comparison or presence test on one filterable attribute, its value checked against the attribute's type. */
  private leaf(
    attribute: Leaf['attribute'],
    n: Extract<FilterNode, { kind: 'compare' | 'present' }>,
    name: string,
  ): ResourceFilter {
    if (n.kind === 'present') return { kind: 'present', attribute: attribute.filter };
    const compare = (op: CompareOp, value: FilterValue): ResourceFilter => ({
      kind: 'compare',
      attribute: attribute.filter,
      op,
      value,
    });
    if (attribute.type === 'boolean') return compare('eq', booleanValue(name, n.op, n.value));
    if (attribute.idValue && n.op !== 'eq' && n.op !== 'ne') throw invalid(`"${name}" supports only eq, ne and pr`);
    if (n.value === null) {
      if (n.op !== 'eq' && n.op !== 'ne') throw invalid(`"${name}" cannot be compared with null using ${n.op}`);
      return compare(n.op, null);
    }
    if (attribute.type === 'dateTime') return compare(n.op, dateTimeValue(name, n.op, n.value));
    if (attribute.idValue) return compare(n.op, String(n.value));
    if (typeof n.value === 'boolean') throw invalid(`"${name}" is a string attribute; compare it with a quoted string`);
    return compare(n.op, String(n.value));
  }
}

/**
 * Boolean compValue: true / false, also the strings "True" / "false" some IdPs send. `ne` is folded into the
 * value: the result always compares with eq.
 */
function booleanValue(name: string, op: CompareOp, value: CompValue): boolean {
  if (op !== 'eq' && op !== 'ne') throw invalid(`"${name}" is a boolean; use eq, ne or pr`);
  let b: boolean;
  if (typeof value === 'boolean') b = value;
  else if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) b = value.trim().toLowerCase() === 'true';
  else throw invalid(`"${name}" is a boolean; compare it with true or false`);
  return op === 'eq' ? b : !b;
}

/** meta.created / meta.lastModified (RFC 7643 §3.1 DateTime, xsd:dateTime). */
function dateTimeValue(name: string, op: CompareOp, value: CompValue): Date {
  if (op === 'co' || op === 'sw' || op === 'ew')
    throw invalid(`"${name}" is a dateTime; use eq, ne, gt, ge, lt, le or pr`);
  const time = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw invalid(`"${name}" must be compared with an ISO 8601 date-time string`);
  return new Date(time);
}

/** Parses (when given text) and resolves a filter against a resource's registry. Throws 400 `invalidFilter`. */
export function resolveFilter(resource: ScimResourceDeclaration, filter: string | FilterNode): ResourceFilter {
  return new Resolver(resource).node(typeof filter === 'string' ? parseFilter(filter) : filter);
}

/**
 * The sort attribute of a `sortBy` value (case-insensitive, URN-qualified names accepted; a complex attribute
 * sorts by its `value`), or undefined when the attribute is not sortable.
 */
export function sortAttribute(resource: ScimResourceDeclaration, sortBy: string): string | undefined {
  if (typeof sortBy !== 'string') return undefined;
  const text = sortBy.trim();
  let path: AttrPath;
  if (/^urn:/i.test(text)) {
    const colon = text.lastIndexOf(':');
    path = { urn: text.slice(0, colon), attr: text.slice(colon + 1) };
  } else path = { attr: text };
  const [attr, sub, ...rest] = path.attr.split('.');
  if (rest.length || !attr) return undefined;
  const found = resolveAttribute(resource, { ...path, attr, ...(sub !== undefined ? { sub } : {}) });
  if (!found || found.ignored) return undefined;
  const target = found.sub ?? (found.attribute.subAttributes ? valueSubAttribute(found.attribute) : found.attribute);
  return target?.sort;
}

/** `sortBy` + `sortOrder` -> the sort of a list; 400 `invalidValue` when the attribute cannot be sorted by. */
export function resolveSort(resource: ScimResourceDeclaration, sortBy: string, descending: boolean): ResourceSort {
  const attribute = sortAttribute(resource, sortBy);
  if (!attribute) throw new ScimError(400, 'invalidValue', `cannot sort by "${sortBy.slice(0, 100)}"`);
  return { attribute, descending };
}
