/**
 * A small interpreter for Runscope API test exports (the format of Okta's "SCIM 2.0 SPEC Test"): request steps
 * with `{{variable}}` templates, assertions on the status, the response time and JSON properties, variable
 * extraction, and the few post-response scripts those tests use (run in a `vm` sandbox with Runscope's `assert`,
 * `log`, `response` and `variables`). Pause steps are skipped: nothing here is eventually consistent.
 */
import vm from 'node:vm';

export interface RunscopeAssertion {
  source: 'response_status' | 'response_json' | 'response_time' | string;
  comparison: string;
  property?: string;
  value: string | number | null;
}

export interface RunscopeStep {
  step_type: 'request' | 'pause' | string;
  skipped?: boolean;
  note?: string;
  method?: string;
  url?: string;
  headers?: Record<string, string[]>;
  body?: string;
  assertions?: RunscopeAssertion[];
  variables?: { source: string; name: string; property?: string }[];
  scripts?: string[];
}

export interface RunscopeTest {
  name: string;
  steps: RunscopeStep[];
}

export interface AssertionResult {
  assertion: string;
  passed: boolean;
  actual: unknown;
}

export interface StepResult {
  note: string;
  method: string;
  url: string;
  status: number;
  ms: number;
  assertions: AssertionResult[];
  passed: boolean;
}

const substitute = (text: string, vars: Record<string, string>): string =>
  text.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => (name in vars ? vars[name] : whole));

/** `Resources[0].name.familyName` against a parsed JSON body. */
export function jsonProperty(body: unknown, property: string): unknown {
  let current: unknown = body;
  for (const part of property.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/** Runscope's comparisons; values are compared as text where Runscope does (`equal` of `true` and "true"). */
export function compare(comparison: string, actual: unknown, expected: string | null): boolean {
  switch (comparison) {
    case 'equal':
      return (
        String(typeof actual === 'object' && actual !== null ? JSON.stringify(actual) : actual) === String(expected)
      );
    case 'not_equal':
      return String(actual) !== String(expected);
    case 'equal_number':
      return typeof actual !== 'boolean' && actual !== null && actual !== '' && Number(actual) === Number(expected);
    case 'not_empty':
      return !isEmpty(actual);
    case 'empty':
      return isEmpty(actual);
    case 'has_value':
      return Array.isArray(actual) && actual.some((v) => String(v) === String(expected));
    case 'contains':
      return Array.isArray(actual)
        ? actual.some((v) => String(v) === String(expected))
        : typeof actual === 'string' && actual.includes(String(expected));
    case 'does_not_contain':
      return !compare('contains', actual, expected);
    case 'is_a_number':
      return typeof actual === 'number' && Number.isFinite(actual);
    case 'is_less_than':
      return Number(actual) < Number(expected);
    case 'is_greater_than':
      return Number(actual) > Number(expected);
    default:
      throw new Error(`unsupported Runscope comparison "${comparison}"`);
  }
}

/** Runs a Runscope post-response script; a thrown error (a failed `assert`) fails the step. */
function runScript(
  source: string,
  response: { status: number; body: string },
  vars: Record<string, string>,
  log: (m: unknown) => void,
): AssertionResult {
  const assert = Object.assign(
    (value: unknown, message?: string) => {
      if (!value) throw new Error(message ?? 'assertion failed');
    },
    {
      ok: (value: unknown, message?: string) => {
        if (!value) throw new Error(message ?? 'assertion failed');
      },
      equal: (a: unknown, b: unknown, message?: string) => {
        if (a != b) throw new Error(message ?? `${String(a)} != ${String(b)}`);
      },
    },
  );
  const sandbox = {
    response: { status: response.status, body: response.body },
    assert,
    log,
    variables: { get: (k: string) => vars[k], set: (k: string, v: unknown) => (vars[k] = String(v)) },
    JSON,
  };
  try {
    vm.runInNewContext(source, sandbox, { timeout: 1000 });
    return { assertion: 'script', passed: true, actual: null };
  } catch (err) {
    return { assertion: 'script', passed: false, actual: (err as Error).message };
  }
}

/** Runs every request step in order against live HTTP; returns one result per request step. */
export async function runRunscope(
  test: RunscopeTest,
  initial: Record<string, string>,
  log: (m: unknown) => void = () => undefined,
): Promise<StepResult[]> {
  const vars = { ...initial };
  const results: StepResult[] = [];
  for (const step of test.steps) {
    if (step.step_type !== 'request' || step.skipped) continue;
    const method = (step.method ?? 'GET').toUpperCase();
    // Runscope sends what the template says, percent-encoding what a URL cannot hold (spaces, quotes).
    const url = new URL(substitute(step.url ?? '', vars)).toString();
    const headers: Record<string, string> = {};
    for (const [k, values] of Object.entries(step.headers ?? {}))
      headers[k] = substitute(values[values.length - 1] ?? '', vars);
    const started = performance.now();
    const res = await fetch(url, {
      method,
      headers,
      body: step.body && method !== 'GET' ? substitute(step.body, vars) : undefined,
    });
    const text = await res.text();
    const ms = performance.now() - started;
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const assertions: AssertionResult[] = (step.assertions ?? []).map((a) => {
      const expected = a.value === null || a.value === undefined ? null : substitute(String(a.value), vars);
      const actual =
        a.source === 'response_status'
          ? res.status
          : a.source === 'response_time'
            ? ms
            : jsonProperty(json, a.property ?? '');
      const label = `${a.source}${a.property ? ` ${a.property}` : ''} ${a.comparison}${expected !== null ? ` ${expected}` : ''}`;
      return { assertion: label, passed: compare(a.comparison, actual, expected), actual };
    });
    for (const script of step.scripts ?? []) {
      if (script.trim()) assertions.push(runScript(script, { status: res.status, body: text }, vars, log));
    }
    for (const v of step.variables ?? []) {
      if (v.source === 'response_json' && v.property) vars[v.name] = String(jsonProperty(json, v.property));
    }
    results.push({
      note: step.note ?? '',
      method,
      url,
      status: res.status,
      ms,
      assertions,
      passed: assertions.every((a) => a.passed),
    });
  }
  return results;
}
