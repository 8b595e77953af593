/**
 * SCIM PATCH request normalisation (RFC 7644 §3.5.2), tolerant of what IdPs actually send:
 * - `op` in any case (`Replace`, `ADD`: Entra, OneLogin);
 * - `schemas` missing, legacy or unknown (not checked at all);
 * - empty `Operations` (a no-op);
 * - operations without `path` whose value object uses dotted keys (`"name.givenName"`), URN-prefixed keys
 *   (`"urn:...:enterprise:2.0:User:department"`) or a schema URN key holding an object of attributes;
 * - `remove` without `path` but with a value object (treated like the path-less add/replace form).
 *
 * The result is a flat list where every operation has a path; a path that came from a key of a value object is
 * marked `fromValueObject`, and the appliers ignore unknown attributes only for those (IdPs send extras there),
 * while an unknown attribute in an explicit `path` is 400 `invalidPath`.
 *
 * Appliers: `applyUserPatch` (../users/user-patch) and `groupPatchPlan` (../groups/group-patch).
 */
import { ScimError } from './errors';
import { parseAttrPath, parsePath, type ScimPath } from './filter-parser';
import {
  ENTERPRISE_USER_SCHEMA,
  FORBIDDEN_KEYS,
  GROUP_SCHEMA,
  isPlainObject,
  LEGACY_CORE_SCHEMA,
  LEGACY_ENTERPRISE_SCHEMA,
  USER_SCHEMA,
} from './types';
import { describeValue, getCaseInsensitive } from './values';

export type PatchOpName = 'add' | 'replace' | 'remove';

export interface ScimPatchOperation {
  op: PatchOpName;
  /** Always present after normalisation (path-less operations are expanded per value key). */
  path: ScimPath;
  /** Undefined when the operation had no `value`. */
  value?: unknown;
  /** True when the path came from a key of a path-less value object: unknown attributes are then ignored. */
  fromValueObject: boolean;
  /** Position in `Operations`, for error details. */
  index: number;
}

/** Upper bound on operations in one request (members are batched inside one operation's value array). */
export const MAX_PATCH_OPERATIONS = 1000;

/** Schema URNs whose key in a value object holds an object of that schema's attributes. */
const SCHEMA_URNS: ReadonlySet<string> = new Set(
  [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, LEGACY_CORE_SCHEMA, LEGACY_ENTERPRISE_SCHEMA].map((u) =>
    u.toLowerCase(),
  ),
);

const syntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);

/** Parses and normalises a PATCH body (RFC 7644 §3.5.2) into operations with paths. Throws ScimError 400. */
export function normalizePatch(body: unknown): ScimPatchOperation[] {
  if (!isPlainObject(body)) throw syntax('the PATCH body must be a JSON object with "Operations"');
  const operations = getCaseInsensitive(body, 'Operations');
  if (operations === undefined || operations === null) throw syntax('the PATCH body must have an "Operations" array');
  if (!Array.isArray(operations)) throw syntax('"Operations" must be an array');
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw new ScimError(400, 'invalidValue', `at most ${MAX_PATCH_OPERATIONS} operations per PATCH request`);
  }
  const result: ScimPatchOperation[] = [];
  operations.forEach((raw, index) => {
    const where = `Operations[${index}]`;
    if (!isPlainObject(raw)) throw syntax(`${where} must be an object`);
    const opRaw = getCaseInsensitive(raw, 'op');
    const op = typeof opRaw === 'string' ? opRaw.trim().toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw syntax(`${where}.op must be "add", "replace" or "remove", got ${describeValue(opRaw)}`);
    }
    const pathRaw = getCaseInsensitive(raw, 'path');
    const value = getCaseInsensitive(raw, 'value');
    if (pathRaw !== undefined && pathRaw !== null && pathRaw !== '') {
      if (typeof pathRaw !== 'string') throw new ScimError(400, 'invalidPath', `${where}.path must be a string`);
      result.push({ op, path: parsePath(pathRaw.trim()), value, fromValueObject: false, index });
      return;
    }
    // RFC 7644 §3.5.2.1/§3.5.2.3: without a path, the value is an object of attributes to add or replace.
    if (isPlainObject(value)) {
      result.push(...expandValueObject(op, value, index));
      return;
    }
    if (op === 'remove') {
      // RFC 7644 §3.5.2.2: remove without a path has no target.
      throw new ScimError(400, 'noTarget', `${where}: "remove" requires a "path"`);
    }
    throw new ScimError(
      400,
      'invalidValue',
      `${where}: "${op}" without a "path" requires an object "value", got ${describeValue(value)}`,
    );
  });
  return result;
}

/**
 * Turns `{ "userName": ..., "name.givenName": ..., "urn:...:User:department": ..., "urn:...:User": {...} }` into
 * one operation per attribute. Keys that are not attribute names, attributes of schemas we do not know and
 * prototype keys (`__proto__`, `constructor`, `prototype`) are dropped.
 */
export function expandValueObject(op: PatchOpName, value: Record<string, unknown>, index = 0): ScimPatchOperation[] {
  const out: ScimPatchOperation[] = [];
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) continue;
    const v = value[key];
    if (/^urn:/i.test(key) && isPlainObject(v) && SCHEMA_URNS.has(key.toLowerCase())) {
      for (const inner of Object.keys(v)) {
        if (FORBIDDEN_KEYS.has(inner)) continue;
        const path = parseAttrPath(inner);
        if (!path) continue;
        out.push({ op, path: path.urn ? path : { ...path, urn: key }, value: v[inner], fromValueObject: true, index });
      }
      continue;
    }
    const path = parseAttrPath(key);
    if (!path || (path.urn !== undefined && !SCHEMA_URNS.has(path.urn.toLowerCase()))) continue; // other extensions
    out.push({ op, path, value: v, fromValueObject: true, index });
  }
  return out;
}
