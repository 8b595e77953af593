import { invalidInput } from './errors';

/** Escapes LIKE/ILIKE wildcards (and the escape character) so a value matches only itself. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A required display text (an organization's or a group's name): trimmed, not empty, at most `max` characters. */
export function requiredName(value: string, field: string, max: number): string {
  const trimmed = (value ?? '').trim();
  if (!trimmed) throw invalidInput(`${field} must not be empty`, field);
  if (trimmed.length > max) throw invalidInput(`${field} is longer than ${max} characters`, field);
  return trimmed;
}
