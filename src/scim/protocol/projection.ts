/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, also on write responses §3.9) applied to a SCIM resource.
 *
 * Names are comma-separated, case-insensitive (RFC 7643 §2.1), plain (`userName`), dotted sub-attributes
 * (`name.givenName`, `emails.value`) or URN-qualified (`urn:...:core:2.0:User:userName`,
 * `urn:...:enterprise:2.0:User:department`, or the extension URN alone). `schemas`, `id` and `meta` are always
 * returned (returned=always, RFC 7643 §7); unknown names are ignored. When both parameters are given, the
 * `attributes` selection is applied first, then the exclusions.
 */
import { type ScimResourceDeclaration, characteristics } from './attributes';
import { isPlainObject } from './types';

type Selection = Map<string, Selection | true>;

/** What projecting a resource type needs from its declaration, read once per declaration. */
interface Projectable {
  /** `schemas`, `meta` and the registry's returned=always attributes (`id`), lower-case. */
  always: ReadonlySet<string>;
  /** The core schema's URN and its legacy aliases, lower-case: `urn:...:User:userName` names `userName`. */
  coreUrns: readonly string[];
}

const projectables = new WeakMap<ScimResourceDeclaration, Projectable>();

function projectable(declaration: ScimResourceDeclaration): Projectable {
  let found = projectables.get(declaration);
  if (!found) {
    const always = [...declaration.common, ...declaration.core.attributes]
      .filter((a) => characteristics(a).returned === 'always')
      .map((a) => a.name.toLowerCase());
    found = {
      always: new Set(['schemas', 'meta', ...always]),
      coreUrns: [declaration.core.urn, ...declaration.core.legacyUrns].map((u) => u.toLowerCase()),
    };
    projectables.set(declaration, found);
  }
  return found;
}

/** Splits on commas outside `[...]` and quoted strings. */
function splitNames(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Splits `attributes=a,b` (also repeated query parameters, which arrive as an array) into trimmed names. RFC 7644
 * §3.4.2.5 names attributes, not value paths; a value filter some clients put in (`emails[type eq "work"]`, as the
 * Microsoft reference collection does) is dropped, selecting the whole attribute (`emails`, `emails.value`).
 */
export function parseAttributeList(param: unknown): string[] {
  const parts = Array.isArray(param) ? param : [param];
  return parts
    .filter((p): p is string => typeof p === 'string')
    .flatMap(splitNames)
    .map((p) => p.replace(/\[[^\]]*\]?/g, '').trim())
    .filter((p) => p.length > 0);
}

/** `name` -> lower-case key path in `resource`, or undefined when the URN is not one of the resource's. */
function keyPath(resource: Record<string, unknown>, coreUrns: readonly string[], name: string): string[] | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith('urn:')) return lower.split('.');
  const extensions = Object.keys(resource)
    .map((k) => k.toLowerCase())
    .filter((k) => k.startsWith('urn:'))
    .sort((a, b) => b.length - a.length);
  for (const ext of extensions) {
    if (lower === ext) return [ext];
    if (lower.startsWith(`${ext}:`)) return [ext, ...lower.slice(ext.length + 1).split('.')];
  }
  const declared = Array.isArray(resource.schemas)
    ? resource.schemas.filter((s): s is string => typeof s === 'string')
    : [];
  for (const core of [...coreUrns, ...declared.map((s) => s.toLowerCase())]) {
    if (lower.startsWith(`${core}:`)) return lower.slice(core.length + 1).split('.');
  }
  return undefined;
}

function selection(resource: Record<string, unknown>, coreUrns: readonly string[], names: string[]): Selection {
  const root: Selection = new Map();
  for (const name of names) {
    const path = keyPath(resource, coreUrns, name);
    if (!path || path.some((p) => !p)) continue;
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const existing = node.get(path[i]);
      if (existing === true) break; // the whole attribute is already selected
      if (i === path.length - 1) {
        node.set(path[i], true);
        break;
      }
      const child: Selection = existing ?? new Map();
      node.set(path[i], child);
      node = child;
    }
  }
  return root;
}

function include(
  value: Record<string, unknown>,
  sel: Selection,
  always?: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const lower = key.toLowerCase();
    const s = sel.get(lower);
    const v = value[key];
    if (always?.has(lower) || s === true) out[key] = v;
    else if (s) {
      const projected = nested(v, (o) => include(o, s));
      if (projected !== undefined) out[key] = projected;
    }
  }
  return out;
}

function exclude(
  value: Record<string, unknown>,
  sel: Selection,
  always?: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const lower = key.toLowerCase();
    const s = sel.get(lower);
    const v = value[key];
    if (always?.has(lower) || !s) out[key] = v;
    else if (s !== true) {
      const projected = nested(v, (o) => exclude(o, s));
      if (projected !== undefined) out[key] = projected;
    }
  }
  return out;
}

/** Projects a complex value or each element of a multi-valued one; drops what ends up empty. */
function nested(v: unknown, project: (o: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(v)) {
    const items = v
      .filter(isPlainObject)
      .map(project)
      .filter((o) => Object.keys(o).length > 0);
    return items.length ? items : undefined;
  }
  if (isPlainObject(v)) {
    const o = project(v);
    return Object.keys(o).length ? o : undefined;
  }
  return undefined;
}

/**
 * Applies `attributes` and/or `excludedAttributes` (raw query values) to a resource of the declared type; returns
 * a new object.
 */
export function projectResource(
  declaration: ScimResourceDeclaration,
  resource: Record<string, unknown>,
  params: { attributes?: unknown; excludedAttributes?: unknown },
): Record<string, unknown> {
  const { always, coreUrns } = projectable(declaration);
  const attributes = parseAttributeList(params.attributes);
  const excluded = parseAttributeList(params.excludedAttributes);
  let out = resource;
  if (attributes.length) out = include(out, selection(resource, coreUrns, attributes), always);
  if (excluded.length) out = exclude(out, selection(resource, coreUrns, excluded), always);
  return out === resource ? { ...resource } : out;
}
