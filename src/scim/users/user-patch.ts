/**
 * PATCH applier for SCIM Users (RFC 7644 §3.5.2) over `ScimUserState`. Pure: returns a new state, or throws
 * ScimError 400 at the first bad operation, so the caller persists all operations or none.
 *
 * Paths resolve through the User attribute registry (./user-attributes): an attribute with a stored `field` is
 * written; read-only and write-only attributes (`id`, `meta`, `groups`, `password`), `schemas`, and RFC 7643
 * attributes we do not store (`addresses`, `roles`, ...; Entra's default mapping sends them by path) are accepted
 * and ignored. An attribute outside RFC 7643 in an explicit path is 400 `invalidPath`.
 */
import { MAX_EMAILS, MAX_PHONE_NUMBERS, tooLong } from '../protocol/limits';
import { type ScimAttribute, resolveAttribute } from '../protocol/attributes';
import { ScimError } from '../protocol/errors';
import { type FilterNode, matchElement, type ScimPath } from '../protocol/filter-parser';
import type { ScimPatchOperation } from '../protocol/patch';
import {
  type ScimEmail,
  type ScimListField,
  type ScimTextField,
  type ScimTypedValue,
  type ScimUserState,
  isListField,
  isPlainObject,
  isRequiredField,
  isTextField,
} from '../protocol/types';
import {
  describeValue,
  getCaseInsensitive,
  optionalString,
  parseScimBoolean,
  referenceValue,
  requiredString,
} from '../protocol/values';
import { USER_RESOURCE } from './user-attributes';

type MultiValuedField = ScimListField;

interface Target {
  attribute: ScimAttribute;
  /** The sub-attribute the path names, if any. */
  sub?: ScimAttribute;
}

const writable = (a: ScimAttribute) => a.field !== undefined && a.mutability !== 'readOnly';

/** Resolves a path to a stored attribute, `ignore`, or undefined (unknown). */
function resolveUserPath(path: ScimPath): Target | 'ignore' | undefined {
  const found = resolveAttribute(USER_RESOURCE, path);
  if (!found) {
    // any sub-attribute of an attribute we ignore is ignored with it
    const parent = path.sub !== undefined ? resolveAttribute(USER_RESOURCE, { ...path, sub: undefined }) : undefined;
    return parent && (parent.ignored || !isStored(parent.attribute)) ? 'ignore' : undefined;
  }
  if (found.ignored || !isStored(found.attribute) || (found.sub && !writable(found.sub))) return 'ignore';
  return { attribute: found.attribute, sub: found.sub };
}

/** Stored: the attribute has a field, or (like `name`) its sub-attributes have. */
const isStored = (a: ScimAttribute): boolean =>
  a.mutability !== 'readOnly' && (a.field !== undefined || (a.subAttributes ?? []).some(writable));

const where = (op: ScimPatchOperation) => `Operations[${op.index}]`;
const pathText = (p: ScimPath) =>
  `${p.urn ? `${p.urn}:` : ''}${p.attr}${p.filter ? '[...]' : ''}${p.sub ? `.${p.sub}` : ''}`;

/** Applies normalised operations in order (RFC 7644 §3.5.2: the result of each is the input of the next). */
export function applyUserPatch(current: ScimUserState, ops: ScimPatchOperation[]): ScimUserState {
  const state: ScimUserState = {
    ...current,
    emails: current.emails.map((e) => ({ ...e })),
    phoneNumbers: current.phoneNumbers.map((e) => ({ ...e })),
  };
  for (const op of ops) applyOne(state, op);
  return state;
}

function applyOne(state: ScimUserState, op: ScimPatchOperation): void {
  const target = resolveUserPath(op.path);
  if (!target) {
    if (op.fromValueObject) return; // IdPs send extra attributes in value objects
    throw new ScimError(400, 'invalidPath', `${where(op)}: unknown or unsupported attribute "${pathText(op.path)}"`);
  }
  if (target === 'ignore') return;
  const { attribute, sub } = target;
  if (op.path.filter && !attribute.multiValued) {
    throw new ScimError(
      400,
      'invalidPath',
      `${where(op)}: "${op.path.attr}" is not multi-valued; a value filter cannot apply`,
    );
  }
  const remove = op.op === 'remove';
  // RFC 7643 §2.5: null is "unassigned"; for the required userName and active in a body, it leaves them as they are
  if (!remove && op.fromValueObject && op.value === null && (attribute.required || attribute.type === 'boolean'))
    return;
  const label = `${where(op)} ${pathText(op.path)}`;
  const field = attribute.field;
  if (attribute.multiValued && isListField(field)) {
    state[field] = applyTypedValues(field, state[field], op, sub?.field as TypedSub | undefined);
    if (state[field].length > MAX_VALUES[field]) throw tooMany(field);
    return;
  }
  if (attribute.type === 'complex' && field === undefined) {
    applyComplex(state, attribute, op, sub);
    return;
  }
  if (field === 'active') {
    if (remove) throw new ScimError(400, 'invalidValue', `${label}: ${attribute.name} cannot be removed`);
    state.active = parseScimBoolean(op.value, attribute.name);
  } else if (isRequiredField(field)) {
    if (remove) {
      throw new ScimError(400, 'invalidValue', `${label}: ${attribute.name} is required and cannot be removed`);
    }
    state[field] = requiredString(op.value, attribute.name);
  } else if (attribute.type === 'complex') {
    // a reference such as `manager`: `{ "value": id }` or a bare string (Entra); `manager.value` as a string
    state[textField(attribute)] = remove ? null : referenceValue(op.value, attribute.name);
  } else {
    state[textField(attribute)] = remove ? null : optionalString(op.value, attribute.name);
  }
}

/** The optional-string field an attribute is stored in; a registry entry that names another is a programming error. */
function textField(a: ScimAttribute): ScimTextField {
  if (!isTextField(a.field)) throw new Error(`SCIM attribute "${a.name}" is not stored in a text field`);
  return a.field;
}

/**
 * A complex attribute whose sub-attributes are stored fields (`name`): add/replace merge the given sub-attributes
 * (RFC 7644 §3.5.2.1, §3.5.2.3); remove clears them all.
 */
function applyComplex(state: ScimUserState, attribute: ScimAttribute, op: ScimPatchOperation, sub?: ScimAttribute) {
  if (sub) {
    state[textField(sub)] = op.op === 'remove' ? null : optionalString(op.value, `${attribute.name}.${sub.name}`);
    return;
  }
  const stored = (attribute.subAttributes ?? []).filter(writable);
  if (op.op === 'remove' || op.value === null) {
    for (const s of stored) state[textField(s)] = null;
    return;
  }
  if (!isPlainObject(op.value)) {
    throw new ScimError(
      400,
      'invalidValue',
      `${where(op)}: "${attribute.name}" must be an object, got ${describeValue(op.value)}`,
    );
  }
  for (const s of stored) {
    const v = getCaseInsensitive(op.value, s.name);
    if (v !== undefined) state[textField(s)] = optionalString(v, `${attribute.name}.${s.name}`);
  }
}

type TypedSub = 'value' | 'type' | 'primary';

const MAX_VALUES: Record<MultiValuedField, number> = { emails: MAX_EMAILS, phoneNumbers: MAX_PHONE_NUMBERS };
const WHAT: Record<MultiValuedField, string> = { emails: 'email', phoneNumbers: 'phone number' };

/** One entry of `emails`/`phoneNumbers` from `{value, type?, primary?}` or a bare string value. */
export function toTypedValue(raw: unknown, name: string): ScimTypedValue {
  if (typeof raw === 'string') return { value: requiredString(raw, `${name}.value`) };
  if (!isPlainObject(raw))
    throw new ScimError(400, 'invalidValue', `"${name}" entries must be objects, got ${describeValue(raw)}`);
  const entry: ScimTypedValue = { value: requiredString(getCaseInsensitive(raw, 'value'), `${name}.value`) };
  const type = optionalString(getCaseInsensitive(raw, 'type'), `${name}.type`);
  if (type !== null) entry.type = type;
  const primary = getCaseInsensitive(raw, 'primary');
  if (primary !== undefined && primary !== null) entry.primary = parseScimBoolean(primary, `${name}.primary`);
  return entry;
}

/** One `emails` entry from `{value, type?, primary?}` or a bare address string. */
export const toEmail = (raw: unknown, name = 'emails'): ScimEmail => toTypedValue(raw, name);

/** A list of entries from an array, a single object or a string; at most one primary (RFC 7643 §2.4). */
export function toTypedValueList(raw: unknown, name: MultiValuedField): ScimTypedValue[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw) && raw.length > MAX_VALUES[name]) throw tooMany(name);
  const entries = Array.isArray(raw) ? raw : [raw];
  const list = (name === 'phoneNumbers' ? entries.filter((e) => !blankEntry(e)) : entries).map((e) =>
    toTypedValue(e, name),
  );
  if (list.filter((e) => e.primary === true).length > 1) {
    throw new ScimError(400, 'invalidValue', `"${name}" may have at most one primary value`);
  }
  return list;
}

/**
 * A phone number without a value: JumpCloud sends `{ "value": "", "type": "work" }` for a user without one. Such
 * entries say "no number" and are dropped; an email is different (the login email is chosen among them), so an
 * empty one stays an error.
 */
function blankEntry(e: unknown): boolean {
  const value = isPlainObject(e) ? getCaseInsensitive(e, 'value') : e;
  return value === undefined || value === null || (typeof value === 'string' && !value.trim());
}

export const toEmailList = (raw: unknown): ScimEmail[] => toTypedValueList(raw, 'emails');

const tooMany = (name: MultiValuedField) => tooLong(`"${name}" of a user`, MAX_VALUES[name]);

const sameValue = (a: ScimTypedValue, b: ScimTypedValue) => a.value.toLowerCase() === b.value.toLowerCase();

/** When `chosen` is primary, no other entry is (RFC 7643 §2.4: primary true appears at most once). */
function keepOnePrimary(entries: ScimTypedValue[], chosen: ScimTypedValue): void {
  if (chosen.primary !== true) return;
  for (const e of entries) if (e !== chosen && e.primary === true) e.primary = false;
}

function setSub(name: MultiValuedField, entry: ScimTypedValue, sub: TypedSub, value: unknown, all: ScimTypedValue[]) {
  if (sub === 'value')
    entry.value = requiredString(Array.isArray(value) && value.length === 1 ? value[0] : value, `${name}.value`);
  else if (sub === 'type') {
    const type = optionalString(value, `${name}.type`);
    if (type === null) delete entry.type;
    else entry.type = type;
  } else {
    entry.primary = parseScimBoolean(value, `${name}.primary`);
    keepOnePrimary(all, entry);
  }
}

/**
 * `emails` / `phoneNumbers` (multi-valued complex, RFC 7644 §3.5.2):
 * - `emails` add appends (a value already present is updated), replace sets the list, remove clears it or
 *   removes the values given in `value`;
 * - `emails[filter]` / `emails[filter].sub` act on the matching entries; add/replace with no match creates the entry
 *   the filter describes (`emails[type eq "work"].value` creates the work email, as Entra expects) and is 400
 *   `noTarget` when the filter does not describe one; remove with no match is a no-op;
 * - `emails.sub` without a filter acts on the primary entry (else the first).
 */
function applyTypedValues(
  name: MultiValuedField,
  current: ScimTypedValue[],
  op: ScimPatchOperation,
  sub: TypedSub | undefined,
): ScimTypedValue[] {
  let entries = current.map((e) => ({ ...e }));
  const filter = op.path.filter;
  if (!filter && !sub) {
    if (op.op === 'remove') {
      if (op.value === undefined || op.value === null) return [];
      const drop = toTypedValueList(op.value, name);
      return entries.filter((e) => !drop.some((d) => sameValue(d, e)));
    }
    const incoming = toTypedValueList(op.value, name);
    if (op.op === 'replace') return incoming;
    for (const e of incoming) {
      const existing = entries.find((x) => sameValue(x, e));
      const target = existing ? Object.assign(existing, e) : e;
      if (!existing) entries.push(e);
      keepOnePrimary(entries, target);
    }
    return entries;
  }

  const matches = filter
    ? entries.filter((e) => matchElement(filter, e))
    : entries
        .filter((e) => e.primary === true)
        .concat(entries.filter((e) => e.primary !== true))
        .slice(0, 1);
  if (op.op === 'remove') {
    if (!sub || sub === 'value') return entries.filter((e) => !matches.includes(e));
    for (const e of matches) delete e[sub];
    return entries;
  }
  if (matches.length === 0) {
    const template = filter ? templateFromFilter(filter) : { primary: true };
    if (!template) {
      throw new ScimError(
        400,
        'noTarget',
        `${where(op)}: no ${WHAT[name]} matches the filter of "${pathText(op.path)}"`,
      );
    }
    const created = sub ? { ...template } : { ...template, ...elementObject(name, op) };
    if (sub) setSub(name, created as ScimTypedValue, sub, op.value, entries);
    const entry = toTypedValue(created, name);
    entries.push(entry);
    keepOnePrimary(entries, entry);
    return entries;
  }
  for (const match of matches) {
    if (sub) {
      setSub(name, match, sub, op.value, entries);
      continue;
    }
    const base = op.op === 'replace' ? (filter ? (templateFromFilter(filter) ?? {}) : {}) : { ...match };
    const updated = toTypedValue({ ...base, ...elementObject(name, op) }, name);
    entries = entries.map((e) => (e === match ? updated : e));
    keepOnePrimary(entries, updated);
  }
  return entries;
}

/** The value of `emails[filter]` add/replace: an entry object (or a one-element array of one). */
function elementObject(name: MultiValuedField, op: ScimPatchOperation): Record<string, unknown> {
  const v = Array.isArray(op.value) && op.value.length === 1 ? op.value[0] : op.value;
  if (typeof v === 'string') return { value: v };
  if (!isPlainObject(v)) {
    throw new ScimError(
      400,
      'invalidValue',
      `${where(op)}: expected ${name === 'emails' ? 'an' : 'a'} ${WHAT[name]} object, got ${describeValue(op.value)}`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const key of ['value', 'type', 'primary']) {
    const x = getCaseInsensitive(v, key);
    if (x !== undefined) out[key] = x;
  }
  return out;
}

/** `type eq "work" and primary eq true` -> `{type: "work", primary: true}`; undefined if the filter is not such. */
function templateFromFilter(filter: FilterNode): Partial<ScimTypedValue> | undefined {
  const parts = filter.kind === 'and' ? filter.filters : [filter];
  const out: Partial<ScimTypedValue> = {};
  for (const part of parts) {
    if (part.kind !== 'compare' || part.op !== 'eq' || part.path.sub || part.value === null) return undefined;
    const attr = part.path.attr.toLowerCase();
    if (attr === 'type' && typeof part.value === 'string') out.type = part.value;
    else if (attr === 'value' && typeof part.value === 'string') out.value = part.value;
    else if (attr === 'primary') {
      try {
        out.primary = parseScimBoolean(part.value, 'primary');
      } catch {
        return undefined;
      }
    } else return undefined;
  }
  return out;
}
