/**
 * A small recursive-descent parser for SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (RFC 7644 §3.5.2).
 *
 * Hand-written rather than scim2-parse-filter because that library turns `emails[type eq "work"].value eq "x"` into an
 * uncorrelated `and` (any work email AND any email equal to x), rejects `True`, and recurses without a depth limit.
 *
 * Tolerances beyond the ABNF, all seen from IdPs:
 * - operators, `and`/`or`/`not`, `true`/`false`/`null` and attribute names in any case (Ping sends `Eq`, `Co`);
 * - `+` outside quoted strings is a space (OneLogin's `+`-encoded query strings when they were not form-decoded);
 * - `attr[filter].sub op value` (Entra, Okta): parsed as the value path `attr[filter and sub op value]`, so the
 *   condition applies to the same element;
 * - `not` before an attribute expression as well as before `(`.
 * Every failure is a `ScimError` (400, `invalidFilter` for filters, `invalidPath` for PATCH paths); nesting is
 * bounded, so hostile input cannot overflow the stack.
 */
import { ScimError, type ScimErrorType } from './errors';

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type CompValue = string | number | boolean | null;

/** `[urn:]attr[.sub]` as written (case preserved); resolution against a schema is the caller's business. */
export interface AttrPath {
  urn?: string;
  attr: string;
  sub?: string;
}

export type FilterNode =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: CompValue }
  | { kind: 'present'; path: AttrPath }
  | { kind: 'and' | 'or'; filters: FilterNode[] }
  | { kind: 'not'; filter: FilterNode }
  /** `path[filter]`; attribute names inside `filter` are relative to the elements of `path`. */
  | { kind: 'valuePath'; path: AttrPath; filter: FilterNode };

/** A PATCH target (RFC 7644 §3.5.2 `PATH = attrPath / valuePath [subAttr]`). */
export interface ScimPath extends AttrPath {
  /** The value selection filter of `attr[filter]`, relative to the elements of `attr`. */
  filter?: FilterNode;
}

export const MAX_FILTER_LENGTH = 2000;
export const MAX_FILTER_DEPTH = 20;

const COMPARE_OPS: ReadonlySet<string> = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

type TokenKind = 'word' | 'string' | '(' | ')' | '[' | ']' | '.' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

// RFC 7643 §2.1 ATTRNAME = ALPHA *(nameChar); `$ref` is the one name starting with `$`.
const ATTR_NAME = /^(?:\$ref|[A-Za-z][A-Za-z0-9_-]*)$/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
const WORD_STOP = /[\s()[\]"+]/;

function tokenize(input: string, fail: (msg: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c) || c === '+') {
      i++;
    } else if (c === '"') {
      const start = i++;
      let text = '';
      for (;;) {
        if (i >= input.length) fail(`unterminated string starting at position ${start + 1}`);
        const ch = input[i++];
        if (ch === '"') break;
        if (ch !== '\\') {
          text += ch;
          continue;
        }
        if (i >= input.length) fail(`unterminated string starting at position ${start + 1}`);
        const esc = input[i++];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
        if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(input.slice(i, i + 4))) {
          const code = parseInt(input.slice(i, i + 4), 16);
          // PostgreSQL text cannot hold U+0000: a 400 here, not a database error (a 500) later
          if (code === 0) fail(`\\u0000 (NUL) at position ${i - 1} cannot be compared`);
          text += String.fromCharCode(code);
          i += 4;
        } else {
          text += Object.prototype.hasOwnProperty.call(simple, esc) ? simple[esc] : esc; // `\"`, `\\`, `\/`, lenient rest
        }
      }
      tokens.push({ kind: 'string', text, pos: start });
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c, text: c, pos: i++ });
    } else if (
      c === '.' &&
      tokens.length &&
      tokens[tokens.length - 1].kind === ']' &&
      tokens[tokens.length - 1].pos === i - 1
    ) {
      tokens.push({ kind: '.', text: '.', pos: i++ });
    } else {
      const start = i;
      while (i < input.length && !WORD_STOP.test(input[i])) i++;
      // keep the `+` of an exponent (`1e+5`), which the `+`-as-space rule would otherwise split
      if (input[i] === '+' && /^-?\d+(?:\.\d+)?[eE]$/.test(input.slice(start, i)) && /\d/.test(input[i + 1] ?? '')) {
        i++;
        while (i < input.length && /\d/.test(input[i])) i++;
      }
      tokens.push({ kind: 'word', text: input.slice(start, i), pos: start });
    }
  }
  tokens.push({ kind: 'end', text: '', pos: input.length });
  return tokens;
}

class Parser {
  private i = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly input: string,
    private readonly scimType: ScimErrorType,
    private readonly what: string,
  ) {
    if (input.length > MAX_FILTER_LENGTH) this.fail(`is longer than ${MAX_FILTER_LENGTH} characters`);
    if (!input.trim()) this.fail('is empty');
    if (input.includes('\u0000')) this.fail('contains the NUL character (U+0000)');
    this.tokens = tokenize(input, (m) => this.fail(m));
  }

  fail(message: string): never {
    throw new ScimError(400, this.scimType, `${this.what} ${JSON.stringify(this.input.slice(0, 200))}: ${message}`);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private expect(kind: TokenKind): Token {
    const t = this.next();
    if (t.kind !== kind) this.fail(`expected '${kind}' at position ${t.pos + 1}, found ${describe(t)}`);
    return t;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end') this.fail(`unexpected ${describe(t)} at position ${t.pos + 1}`);
  }

  /** FILTER = logExp / attrExp / valuePath / "not" "(" FILTER ")"; `or` binds looser than `and`. */
  filter(depth: number, inValuePath: boolean): FilterNode {
    const filters = [this.conjunction(depth, inValuePath)];
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      filters.push(this.conjunction(depth, inValuePath));
    }
    return filters.length === 1 ? filters[0] : { kind: 'or', filters };
  }

  private conjunction(depth: number, inValuePath: boolean): FilterNode {
    const filters = [this.unary(depth, inValuePath)];
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      filters.push(this.unary(depth, inValuePath));
    }
    return filters.length === 1 ? filters[0] : { kind: 'and', filters };
  }

  private unary(depth: number, inValuePath: boolean): FilterNode {
    if (depth > MAX_FILTER_DEPTH) this.fail(`is nested deeper than ${MAX_FILTER_DEPTH} levels`);
    const t = this.peek();
    if (this.isKeyword(t, 'not') && (this.peek(1).kind === '(' || this.peek(1).kind === 'word')) {
      this.next();
      return { kind: 'not', filter: this.unary(depth + 1, inValuePath) };
    }
    if (t.kind === '(') {
      this.next();
      const inner = this.filter(depth + 1, inValuePath);
      this.expect(')');
      return inner;
    }
    if (t.kind !== 'word') this.fail(`expected an attribute name at position ${t.pos + 1}, found ${describe(t)}`);
    return this.attributeExpression(depth, inValuePath);
  }

  /** attrExp = attrPath SP "pr" / attrPath SP compareOp SP compValue; valuePath = attrPath "[" valFilter "]". */
  private attributeExpression(depth: number, inValuePath: boolean): FilterNode {
    const pathToken = this.next();
    const path = this.attrPath(pathToken);
    if (this.peek().kind === '[') {
      if (inValuePath) this.fail(`value filters cannot be nested (position ${this.peek().pos + 1})`);
      if (path.sub) this.fail(`"${pathToken.text}" has a sub-attribute before '['`);
      this.next();
      const inner = this.filter(depth + 1, true);
      this.expect(']');
      if (this.peek().kind !== '.') return { kind: 'valuePath', path, filter: inner };
      // attr[filter].sub op value: the comparison applies to the same elements
      this.next();
      const subToken = this.next();
      if (subToken.kind !== 'word' || !ATTR_NAME.test(subToken.text)) {
        this.fail(`expected a sub-attribute name after '].' at position ${subToken.pos + 1}`);
      }
      const condition = this.condition({ attr: subToken.text });
      return { kind: 'valuePath', path, filter: { kind: 'and', filters: [inner, condition] } };
    }
    return this.condition(path);
  }

  private condition(path: AttrPath): FilterNode {
    const opToken = this.next();
    const op = opToken.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!COMPARE_OPS.has(op)) {
      this.fail(
        `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) at position ${opToken.pos + 1}, found ${describe(opToken)}`,
      );
    }
    return { kind: 'compare', path, op: op as CompareOp, value: this.compValue() };
  }

  /** compValue = false / null / true / number / string (RFC 7159 literals; keywords in any case). */
  private compValue(): CompValue {
    const t = this.next();
    if (t.kind === 'string') return t.text;
    if (t.kind === 'word') {
      const lower = t.text.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      if (lower === 'null') return null;
      if (NUMBER.test(t.text) && Number.isFinite(Number(t.text))) return Number(t.text);
    }
    return this.fail(
      `expected a quoted string, number, true, false or null at position ${t.pos + 1}, found ${describe(t)}`,
    );
  }

  /** attrPath = [URI ":"] ATTRNAME *1subAttr (RFC 7644 §3.4.2.2 / §3.10). */
  attrPath(t: Token): AttrPath {
    if (t.kind !== 'word') this.fail(`expected an attribute name at position ${t.pos + 1}, found ${describe(t)}`);
    return parseAttrPath(t.text) ?? this.fail(`"${t.text}" is not a valid attribute name`);
  }

  /** PATH = attrPath / valuePath [subAttr] (RFC 7644 §3.5.2). */
  patchPath(): ScimPath {
    const pathToken = this.next();
    const path: ScimPath = this.attrPath(pathToken);
    if (this.peek().kind === '[') {
      if (path.sub) this.fail(`"${pathToken.text}" has a sub-attribute before '['`);
      this.next();
      path.filter = this.filter(1, true);
      this.expect(']');
      if (this.peek().kind === '.') {
        this.next();
        const sub = this.next();
        if (sub.kind !== 'word' || !ATTR_NAME.test(sub.text)) this.fail(`expected a sub-attribute name after '].'`);
        path.sub = sub.text;
      }
    }
    this.expectEnd();
    return path;
  }
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of input';
  if (t.kind === 'string') return `the string ${JSON.stringify(t.text.slice(0, 50))}`;
  return `"${t.text.slice(0, 50)}"`;
}

/**
 * Splits `[urn:...:]attr[.sub]`. A URN prefix ends at the last ':' (schema URNs contain dots, as in `2.0`, and
 * attribute names contain no ':'). Returns undefined when the text is not an attribute path.
 */
export function parseAttrPath(text: string): AttrPath | undefined {
  let urn: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const colon = text.lastIndexOf(':');
    urn = text.slice(0, colon);
    rest = text.slice(colon + 1);
    if (!/^urn:[^:]+:.+$/i.test(urn)) return undefined;
  }
  const parts = rest.split('.');
  if (parts.length > 2 || !parts.every((p) => ATTR_NAME.test(p))) return undefined;
  const path: AttrPath = { attr: parts[0] };
  if (urn !== undefined) path.urn = urn;
  if (parts.length === 2) path.sub = parts[1];
  return path;
}

/** Parses a SCIM filter (RFC 7644 §3.4.2.2); throws ScimError 400 `invalidFilter`. */
export function parseFilter(input: string): FilterNode {
  if (typeof input !== 'string') throw new ScimError(400, 'invalidFilter', 'filter must be a string');
  const parser = new Parser(input, 'invalidFilter', 'filter');
  const node = parser.filter(1, false);
  parser.expectEnd();
  return node;
}

/** Parses a PATCH `path` (RFC 7644 §3.5.2); throws ScimError 400 `invalidPath`. */
export function parsePath(input: string): ScimPath {
  if (typeof input !== 'string') throw new ScimError(400, 'invalidPath', 'path must be a string');
  return new Parser(input, 'invalidPath', 'path').patchPath();
}

/**
 * Evaluates a value filter against one element of a multi-valued attribute (e.g. an `emails` entry), for PATCH
 * value paths. Sub-attribute names match case-insensitively; strings compare case-insensitively (the sub-attributes
 * we filter on, `value`/`type`/`display`, are caseExact=false in RFC 7643 §4.1.2); `"true"` equals `true`.
 */
export function matchElement(node: FilterNode, element: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return node.filters.every((f) => matchElement(f, element));
    case 'or':
      return node.filters.some((f) => matchElement(f, element));
    case 'not':
      return !matchElement(node.filter, element);
    case 'valuePath':
      return false; // the parser forbids nesting
    case 'present': {
      const v = readSub(element, node.path);
      return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
    }
    case 'compare':
      return compareValues(readSub(element, node.path), node.op, node.value);
  }
}

function readSub(element: unknown, path: AttrPath): unknown {
  let v = getCaseInsensitive(element, path.attr);
  if (path.sub !== undefined) v = getCaseInsensitive(v, path.sub);
  return v;
}

/** Own property lookup ignoring case (RFC 7643 §2.1: attribute names are case-insensitive). */
export function getCaseInsensitive(obj: unknown, name: string): unknown {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const record = obj as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, name)) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

function compareValues(actual: unknown, op: CompareOp, expected: CompValue): boolean {
  if (expected === null) {
    const absent = actual === undefined || actual === null;
    return op === 'eq' ? absent : op === 'ne' ? !absent : false;
  }
  if (actual === undefined || actual === null) return op === 'ne';
  if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    const a = String(actual).toLowerCase();
    const e = String(expected).toLowerCase();
    return op === 'eq' ? a === e : op === 'ne' ? a !== e : false;
  }
  if (typeof actual === 'number' && typeof expected === 'number') return order(actual, expected, op);
  if (typeof actual !== 'string' && typeof actual !== 'number') return false;
  const a = String(actual).toLowerCase();
  const e = String(expected).toLowerCase();
  switch (op) {
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    default:
      return order(a, e, op);
  }
}

function order<T extends string | number>(a: T, e: T, op: CompareOp): boolean {
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
    default:
      return false;
  }
}
