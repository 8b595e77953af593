/**
 * PATCH applier for SCIM Users (RFC 7644 §3.5.2) over `ScimUserState`. Pure: returns a new state, or throws
 * ScimError 400 at the first bad operation, so the caller persists all operations or none.
 *
 * Attributes we store: userName, externalId, displayName, name.{givenName,familyName,formatted}, emails,
 * active, and the enterprise extension's employeeNumber, department, manager. Read-only and write-only attributes
 * (`id`, `meta`, `schemas`, `groups`, `password`) and RFC 7643 attributes we do not store (`title`, `addresses`,
 * `phoneNumbers`, ...; Entra's default mapping sends them by path) are accepted and ignored. An attribute outside
 * RFC 7643 in an explicit path is 400 `invalidPath`.
 */
import { MAX_EMAILS, tooLong } from '../protocol/limits';
import { ScimError } from '../protocol/errors';
import { type FilterNode, matchElement, type ScimPath } from '../protocol/filter-parser';
import type { ScimPatchOperation } from '../protocol/patch';
import {
  ENTERPRISE_USER_SCHEMA,
  LEGACY_CORE_SCHEMA,
  LEGACY_ENTERPRISE_SCHEMA,
  type ScimEmail,
  type ScimUserState,
  USER_SCHEMA,
  isPlainObject,
} from '../protocol/types';
import {
  describeValue,
  getCaseInsensitive,
  optionalString,
  parseScimBoolean,
  referenceValue,
  requiredString,
} from '../protocol/values';

type UserAttr =
  | 'userName'
  | 'externalId'
  | 'displayName'
  | 'name'
  | 'emails'
  | 'active'
  | 'employeeNumber'
  | 'department'
  | 'manager'
  | 'ignore';

/** attribute -> stored attribute, and the sub-attributes we store (others of the RFC schema are ignored). */
const CORE: Record<string, { attr: UserAttr; subs?: Record<string, string | null> }> = {
  username: { attr: 'userName' },
  externalid: { attr: 'externalId' },
  displayname: { attr: 'displayName' },
  name: {
    attr: 'name',
    subs: {
      givenname: 'givenName',
      familyname: 'familyName',
      formatted: 'formatted',
      middlename: null,
      honorificprefix: null,
      honorificsuffix: null,
    },
  },
  emails: { attr: 'emails', subs: { value: 'value', type: 'type', primary: 'primary', display: null } },
  active: { attr: 'active' },
};
const ENTERPRISE: Record<string, { attr: UserAttr; subs?: Record<string, string | null> }> = {
  employeenumber: { attr: 'employeeNumber' },
  department: { attr: 'department' },
  manager: { attr: 'manager', subs: { value: 'value', displayname: null, $ref: null } },
};
/** Accepted and ignored: read-only / write-only attributes and RFC 7643 §4.1, §4.3 attributes we do not store. */
const IGNORED_CORE = new Set([
  'id',
  'meta',
  'schemas',
  'groups',
  'password',
  'nickname',
  'profileurl',
  'title',
  'usertype',
  'preferredlanguage',
  'locale',
  'timezone',
  'phonenumbers',
  'ims',
  'photos',
  'addresses',
  'entitlements',
  'roles',
  'x509certificates',
]);
const IGNORED_ENTERPRISE = new Set(['costcenter', 'organization', 'division']);

const CORE_URNS = [USER_SCHEMA.toLowerCase(), LEGACY_CORE_SCHEMA];
const ENTERPRISE_URNS = [ENTERPRISE_USER_SCHEMA.toLowerCase(), LEGACY_ENTERPRISE_SCHEMA];

interface Target {
  attr: UserAttr;
  /** The stored sub-attribute (`givenName`, `value`, ...), when the path names one. */
  sub?: string;
}

const has = <T>(table: Record<string, T>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** Resolves a path to a stored attribute, `ignore`, or undefined (unknown). */
function resolveUserPath(path: ScimPath): Target | undefined {
  const attr = path.attr.toLowerCase();
  const urn = path.urn?.toLowerCase();
  const inCore = urn === undefined || CORE_URNS.includes(urn);
  const inEnterprise = urn === undefined || ENTERPRISE_URNS.includes(urn);
  if ((inCore && IGNORED_CORE.has(attr)) || (inEnterprise && IGNORED_ENTERPRISE.has(attr))) return { attr: 'ignore' };
  const def = (inCore ? has(CORE, attr) : undefined) ?? (inEnterprise ? has(ENTERPRISE, attr) : undefined);
  if (!def) return undefined;
  if (path.sub === undefined) return { attr: def.attr };
  const sub = def.subs ? has(def.subs, path.sub.toLowerCase()) : undefined;
  if (sub === undefined) return undefined; // a sub-attribute the schema does not have
  return sub === null ? { attr: 'ignore' } : { attr: def.attr, sub };
}

const where = (op: ScimPatchOperation) => `Operations[${op.index}]`;
const pathText = (p: ScimPath) =>
  `${p.urn ? `${p.urn}:` : ''}${p.attr}${p.filter ? '[...]' : ''}${p.sub ? `.${p.sub}` : ''}`;

/** Applies normalised operations in order (RFC 7644 §3.5.2: the result of each is the input of the next). */
export function applyUserPatch(current: ScimUserState, ops: ScimPatchOperation[]): ScimUserState {
  const state: ScimUserState = { ...current, emails: current.emails.map((e) => ({ ...e })) };
  for (const op of ops) applyOne(state, op);
  return state;
}

function applyOne(state: ScimUserState, op: ScimPatchOperation): void {
  const target = resolveUserPath(op.path);
  if (!target) {
    if (op.fromValueObject) return; // IdPs send extra attributes in value objects
    throw new ScimError(400, 'invalidPath', `${where(op)}: unknown or unsupported attribute "${pathText(op.path)}"`);
  }
  if (target.attr === 'ignore') return;
  if (op.path.filter && target.attr !== 'emails') {
    throw new ScimError(
      400,
      'invalidPath',
      `${where(op)}: "${op.path.attr}" is not multi-valued; a value filter cannot apply`,
    );
  }
  const remove = op.op === 'remove';
  // RFC 7643 §2.5: null is "unassigned"; for the required userName and active in a body, it leaves them as they are
  if (!remove && op.fromValueObject && op.value === null && (target.attr === 'userName' || target.attr === 'active'))
    return;
  const label = `${where(op)} ${pathText(op.path)}`;
  switch (target.attr) {
    case 'userName':
      if (remove) throw new ScimError(400, 'invalidValue', `${label}: userName is required and cannot be removed`);
      state.userName = requiredString(op.value, 'userName');
      return;
    case 'externalId':
    case 'displayName':
    case 'employeeNumber':
    case 'department':
      state[target.attr] = remove ? null : optionalString(op.value, target.attr);
      return;
    case 'manager':
      // `manager` as `{ "value": id }` or a bare string (Entra); `manager.value` as a string
      state.manager = remove ? null : referenceValue(op.value, 'manager');
      return;
    case 'active':
      if (remove) throw new ScimError(400, 'invalidValue', `${label}: active cannot be removed`);
      state.active = parseScimBoolean(op.value, 'active');
      return;
    case 'name':
      applyName(state, op, target.sub);
      return;
    case 'emails':
      state.emails = applyEmails(state.emails, op, target.sub as EmailSub | undefined);
      if (state.emails.length > MAX_EMAILS) throw tooManyEmails();
      return;
  }
}

const NAME_FIELDS = { givenname: 'givenName', familyname: 'familyName', formatted: 'formattedName' } as const;

/** `name` is complex: add/replace merge the given sub-attributes (RFC 7644 §3.5.2.1, §3.5.2.3); remove clears. */
function applyName(state: ScimUserState, op: ScimPatchOperation, sub: string | undefined): void {
  if (sub) {
    const field = NAME_FIELDS[sub.toLowerCase() as keyof typeof NAME_FIELDS];
    state[field] = op.op === 'remove' ? null : optionalString(op.value, `name.${sub}`);
    return;
  }
  if (op.op === 'remove' || op.value === null) {
    state.givenName = state.familyName = state.formattedName = null;
    return;
  }
  if (!isPlainObject(op.value)) {
    throw new ScimError(400, 'invalidValue', `${where(op)}: "name" must be an object, got ${describeValue(op.value)}`);
  }
  for (const [key, field] of Object.entries(NAME_FIELDS)) {
    const v = getCaseInsensitive(op.value, key);
    if (v !== undefined) state[field] = optionalString(v, `name.${key}`);
  }
}

type EmailSub = 'value' | 'type' | 'primary';

/** One `emails` entry from `{value, type?, primary?}` or a bare address string. */
export function toEmail(raw: unknown, name = 'emails'): ScimEmail {
  if (typeof raw === 'string') return { value: requiredString(raw, `${name}.value`) };
  if (!isPlainObject(raw))
    throw new ScimError(400, 'invalidValue', `"${name}" entries must be objects, got ${describeValue(raw)}`);
  const email: ScimEmail = { value: requiredString(getCaseInsensitive(raw, 'value'), `${name}.value`) };
  const type = optionalString(getCaseInsensitive(raw, 'type'), `${name}.type`);
  if (type !== null) email.type = type;
  const primary = getCaseInsensitive(raw, 'primary');
  if (primary !== undefined && primary !== null) email.primary = parseScimBoolean(primary, `${name}.primary`);
  return email;
}

/** A list of emails from an array, a single object or a string; at most one primary (RFC 7643 §2.4). */
export function toEmailList(raw: unknown, name = 'emails'): ScimEmail[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw) && raw.length > MAX_EMAILS) throw tooManyEmails();
  const list = (Array.isArray(raw) ? raw : [raw]).map((e) => toEmail(e, name));
  if (list.filter((e) => e.primary === true).length > 1) {
    throw new ScimError(400, 'invalidValue', `"${name}" may have at most one primary value`);
  }
  return list;
}

const tooManyEmails = () => tooLong('"emails" of a user', MAX_EMAILS);

const sameAddress = (a: ScimEmail, b: ScimEmail) => a.value.toLowerCase() === b.value.toLowerCase();

/** When `chosen` is primary, no other entry is (RFC 7643 §2.4: primary true appears at most once). */
function keepOnePrimary(emails: ScimEmail[], chosen: ScimEmail): void {
  if (chosen.primary !== true) return;
  for (const e of emails) if (e !== chosen && e.primary === true) e.primary = false;
}

function setEmailSub(email: ScimEmail, sub: EmailSub, value: unknown, emails: ScimEmail[]): void {
  if (sub === 'value')
    email.value = requiredString(Array.isArray(value) && value.length === 1 ? value[0] : value, 'emails.value');
  else if (sub === 'type') {
    const type = optionalString(value, 'emails.type');
    if (type === null) delete email.type;
    else email.type = type;
  } else {
    email.primary = parseScimBoolean(value, 'emails.primary');
    keepOnePrimary(emails, email);
  }
}

/**
 * `emails` (multi-valued complex, RFC 7644 §3.5.2):
 * - `emails` add appends (an address already present is updated), replace sets the list, remove clears it or
 *   removes the addresses given in `value`;
 * - `emails[filter]` / `emails[filter].sub` act on the matching entries; add/replace with no match creates the entry
 *   the filter describes (`emails[type eq "work"].value` creates the work email, as Entra expects) and is 400
 *   `noTarget` when the filter does not describe one; remove with no match is a no-op;
 * - `emails.sub` without a filter acts on the primary entry (else the first).
 */
function applyEmails(current: ScimEmail[], op: ScimPatchOperation, sub: EmailSub | undefined): ScimEmail[] {
  let emails = current.map((e) => ({ ...e }));
  const filter = op.path.filter;
  if (!filter && !sub) {
    if (op.op === 'remove') {
      if (op.value === undefined || op.value === null) return [];
      const drop = toEmailList(op.value);
      return emails.filter((e) => !drop.some((d) => sameAddress(d, e)));
    }
    const incoming = toEmailList(op.value);
    if (op.op === 'replace') return incoming;
    for (const e of incoming) {
      const existing = emails.find((x) => sameAddress(x, e));
      const target = existing ? Object.assign(existing, e) : e;
      if (!existing) emails.push(e);
      keepOnePrimary(emails, target);
    }
    return emails;
  }

  const matches = filter
    ? emails.filter((e) => matchElement(filter, e))
    : emails
        .filter((e) => e.primary === true)
        .concat(emails.filter((e) => e.primary !== true))
        .slice(0, 1);
  if (op.op === 'remove') {
    if (!sub || sub === 'value') return emails.filter((e) => !matches.includes(e));
    for (const e of matches) delete e[sub];
    return emails;
  }
  if (matches.length === 0) {
    const template = filter ? templateFromFilter(filter) : { primary: true };
    if (!template) {
      throw new ScimError(400, 'noTarget', `${where(op)}: no email matches the filter of "${pathText(op.path)}"`);
    }
    const created = sub ? { ...template } : { ...template, ...elementObject(op) };
    if (sub) setEmailSub(created as ScimEmail, sub, op.value, emails);
    const email = toEmail(created);
    emails.push(email);
    keepOnePrimary(emails, email);
    return emails;
  }
  for (const match of matches) {
    if (sub) {
      setEmailSub(match, sub, op.value, emails);
      continue;
    }
    const base = op.op === 'replace' ? (filter ? (templateFromFilter(filter) ?? {}) : {}) : { ...match };
    const updated = toEmail({ ...base, ...elementObject(op) });
    emails = emails.map((e) => (e === match ? updated : e));
    keepOnePrimary(emails, updated);
  }
  return emails;
}

/** The value of `emails[filter]` add/replace: an entry object (or a one-element array of one). */
function elementObject(op: ScimPatchOperation): Record<string, unknown> {
  const v = Array.isArray(op.value) && op.value.length === 1 ? op.value[0] : op.value;
  if (typeof v === 'string') return { value: v };
  if (!isPlainObject(v))
    throw new ScimError(400, 'invalidValue', `${where(op)}: expected an email object, got ${describeValue(op.value)}`);
  const out: Record<string, unknown> = {};
  for (const key of ['value', 'type', 'primary']) {
    const x = getCaseInsensitive(v, key);
    if (x !== undefined) out[key] = x;
  }
  return out;
}

/** `type eq "work" and primary eq true` -> `{type: "work", primary: true}`; undefined if the filter is not such. */
function templateFromFilter(filter: FilterNode): Partial<ScimEmail> | undefined {
  const parts = filter.kind === 'and' ? filter.filters : [filter];
  const out: Partial<ScimEmail> = {};
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
