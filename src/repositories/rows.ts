/**
 * Plain rows of `em.execute` read into read models without the ORM's hydration (identity map, change tracking),
 * which cost more CPU than PostgreSQL spent answering on the list paths. Both drivers are covered: node-postgres as
 * MikroORM configures it hands timestamps back as text, PGlite as Date; jsonb comes back parsed from both.
 */
export type Row = Record<string, unknown>;

export const dateOf = (value: unknown): Date => (value instanceof Date ? value : new Date(value as string));

export const nullableDateOf = (value: unknown): Date | null => (value == null ? null : dateOf(value));

export const jsonOf = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

export const text = (value: unknown): string | null => (value == null ? null : (value as string));
