/** Tolerant readers for SCIM attribute values (RFC 7643 §2.3), shared by the PATCH appliers and the body mapper. */
import { ScimError } from './errors';
import { getCaseInsensitive } from './filter-parser';
import { isPlainObject } from './types';

export { getCaseInsensitive };

/** RFC 7643 §2.3.2 Boolean; also the strings `"True"`/`"false"` (Entra, OneLogin). Else 400 `invalidValue`. */
export function parseScimBoolean(value: unknown, name = 'value'): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  throw new ScimError(400, 'invalidValue', `"${name}" must be a boolean (true or false), got ${describeValue(value)}`);
}

/**
 * RFC 7643 §2.3.1 String for an optional attribute: null/undefined/"" clear it, numbers are accepted as their text,
 * anything else is 400 `invalidValue`.
 */
export function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new ScimError(400, 'invalidValue', `"${name}" must be a string, got ${describeValue(value)}`);
}

/** A required string attribute (userName, displayName, emails.value): must be non-blank. */
export function requiredString(value: unknown, name: string): string {
  const s = optionalString(value, name);
  if (s === null || !s.trim()) throw new ScimError(400, 'invalidValue', `"${name}" is required and must not be empty`);
  return s;
}

/**
 * A reference given as a bare string or as `{ "value": ... }` (enterprise `manager`, which Entra sends bare), or a
 * one-element array of either.
 */
export function referenceValue(value: unknown, name: string): string | null {
  if (Array.isArray(value) && value.length <= 1) return value.length ? referenceValue(value[0], name) : null;
  if (isPlainObject(value)) return optionalString(getCaseInsensitive(value, 'value'), `${name}.value`);
  return optionalString(value, name);
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}
