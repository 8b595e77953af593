/**
 * PATCH planner for SCIM Groups (RFC 7644 §3.5.2). Pure: folds the normalised operations, in order, into one plan
 * the caller executes as set-based SQL deltas (never loading the whole group). Throws ScimError 400 at the first
 * bad operation, so nothing is applied unless everything is valid.
 *
 * Plan invariant (after all operations): exactly one of
 * - `replace` (the full new member set, non-empty; `add`/`remove` empty),
 * - `removeAll: true` (no members; `add`/`remove` empty),
 * - deltas `add` / `remove` (disjoint, possibly both empty).
 * Member ids are returned as given (deduplicated case-insensitively, first spelling kept); the caller validates
 * that they are UUIDs of members of the organization.
 */
import { MAX_MEMBER_VALUES, tooLong } from '../protocol/limits';
import { ScimError } from '../protocol/errors';
import { type FilterNode, type ScimPath } from '../protocol/filter-parser';
import type { ScimPatchOperation } from '../protocol/patch';
import { type ResolvedAttribute, resolveAttribute } from '../protocol/attributes';
import { isPlainObject } from '../protocol/types';
import { GROUP_RESOURCE } from './group-attributes';
import { describeValue, getCaseInsensitive, optionalString, requiredString } from '../protocol/values';

export interface GroupPatchPlan {
  displayName?: string;
  externalId?: string | null;
  add: string[];
  remove: string[];
  removeAll: boolean;
  replace?: string[];
}

type GroupAttr = 'displayName' | 'externalId' | 'members' | 'ignore';

/** Read-only attributes (`id`, `meta`) and `schemas` are accepted and ignored, with any sub-attribute. */
const ignored = (found: ResolvedAttribute) =>
  found.ignored || found.attribute.mutability === 'readOnly' || !found.attribute.field;

/** Resolves a path through the Group attribute registry; undefined when unknown. */
function resolveGroupPath(path: ScimPath): { attr: GroupAttr; ignoredSub: boolean } | undefined {
  const found = resolveAttribute(GROUP_RESOURCE, path);
  if (!found) {
    const parent = path.sub !== undefined ? resolveAttribute(GROUP_RESOURCE, { ...path, sub: undefined }) : undefined;
    return parent && ignored(parent) ? { attr: 'ignore', ignoredSub: false } : undefined;
  }
  if (ignored(found)) return { attr: 'ignore', ignoredSub: false };
  const attr = found.attribute.field as GroupAttr;
  // of a member, only `value` (the member id) is stored
  return { attr, ignoredSub: found.sub !== undefined && found.sub.field !== 'value' };
}

/** An ordered set of ids keyed case-insensitively (UUIDs), keeping the first spelling. */
class IdSet {
  private readonly map = new Map<string, string>();
  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }
  add(id: string): void {
    const key = id.toLowerCase();
    if (!this.map.has(key)) this.map.set(key, id);
  }
  delete(id: string): void {
    this.map.delete(id.toLowerCase());
  }
  values(): string[] {
    return [...this.map.values()];
  }
}

const where = (op: ScimPatchOperation) => `Operations[${op.index}]`;

/** Member ids from `[{value, display?, $ref?}]`, a single such object, bare id strings, or a mix. */
function memberIds(op: ScimPatchOperation): string[] {
  const raw = op.value;
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length > MAX_MEMBER_VALUES) throw tooManyMembers();
  return list.map((item, i) => {
    const v = isPlainObject(item) ? getCaseInsensitive(item, 'value') : item;
    if (typeof v !== 'string' || !v.trim()) {
      throw new ScimError(
        400,
        'invalidValue',
        `${where(op)}: members[${i}].value must be a member id, got ${describeValue(v)}`,
      );
    }
    return v.trim();
  });
}

/** `members[value eq "a" or value eq "b"]` -> ["a", "b"]; other filters are not supported on members. */
function idsFromFilter(filter: FilterNode, op: ScimPatchOperation): string[] {
  if (filter.kind === 'or') return filter.filters.flatMap((f) => idsFromFilter(f, op));
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    !filter.path.sub &&
    filter.path.attr.toLowerCase() === 'value' &&
    typeof filter.value === 'string'
  ) {
    return [filter.value];
  }
  throw new ScimError(
    400,
    'invalidPath',
    `${where(op)}: a members filter must be of the form value eq "id" (joined with or)`,
  );
}

const tooManyMembers = () => tooLong('"members" of a group write', MAX_MEMBER_VALUES);

export function groupPatchPlan(ops: ScimPatchOperation[]): GroupPatchPlan {
  const plan: { displayName?: string; externalId?: string | null } = {};
  let full: IdSet | undefined; // set when the whole member list was replaced or cleared
  const add = new IdSet();
  const remove = new IdSet();
  // Every member value named by any operation counts: 1,000 operations of 10,000 ids each are not one request.
  let named = 0;
  const count = (ids: string[]) => {
    named += ids.length;
    if (named > MAX_MEMBER_VALUES) throw tooManyMembers();
    return ids;
  };

  const addIds = (ids: string[]) => {
    for (const id of ids) {
      if (full) full.add(id);
      else {
        add.add(id);
        remove.delete(id);
      }
    }
  };
  const removeIds = (ids: string[]) => {
    for (const id of ids) {
      if (full) full.delete(id);
      else {
        remove.add(id);
        add.delete(id);
      }
    }
  };
  const replaceAll = (ids: string[]) => {
    full = new IdSet(ids);
    for (const id of add.values()) add.delete(id);
    for (const id of remove.values()) remove.delete(id);
  };

  for (const op of ops) {
    const target = resolveGroupPath(op.path);
    if (!target) {
      if (op.fromValueObject) continue;
      throw new ScimError(400, 'invalidPath', `${where(op)}: unknown or unsupported attribute "${op.path.attr}"`);
    }
    if (target.attr === 'ignore' || target.ignoredSub) continue;
    if (op.path.filter && target.attr !== 'members') {
      throw new ScimError(
        400,
        'invalidPath',
        `${where(op)}: "${op.path.attr}" is not multi-valued; a value filter cannot apply`,
      );
    }
    switch (target.attr) {
      case 'displayName':
        if (op.op === 'remove')
          throw new ScimError(400, 'invalidValue', `${where(op)}: displayName is required and cannot be removed`);
        plan.displayName = requiredString(op.value, 'displayName');
        break;
      case 'externalId':
        plan.externalId = op.op === 'remove' ? null : optionalString(op.value, 'externalId');
        break;
      case 'members':
        if (op.path.filter) {
          // RFC 7644 §3.5.2.2: remove members[value eq "id"]
          if (op.op !== 'remove') {
            throw new ScimError(400, 'invalidPath', `${where(op)}: a members filter is only supported with "remove"`);
          }
          removeIds(count(idsFromFilter(op.path.filter, op)));
        } else if (op.op === 'remove') {
          // without a value: remove all members; with a value array (Entra, JumpCloud): remove those
          if (op.value === undefined || op.value === null) replaceAll([]);
          else removeIds(count(memberIds(op)));
        } else if (op.op === 'replace') {
          replaceAll(count(memberIds(op)));
        } else {
          if (op.value === undefined)
            throw new ScimError(400, 'invalidValue', `${where(op)}: "add members" requires a value`);
          addIds(count(memberIds(op)));
        }
        break;
    }
  }

  const finalFull = full as IdSet | undefined;
  const result: GroupPatchPlan = { ...plan, add: [], remove: [], removeAll: false };
  if (finalFull) {
    const ids = finalFull.values();
    if (ids.length) result.replace = ids;
    else result.removeAll = true;
  } else {
    result.add = add.values();
    result.remove = remove.values();
  }
  return result;
}
