const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs everywhere; anything else cannot name a row and must not reach a uuid column. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/**
 * A PostgreSQL array literal of UUIDs, bound as one parameter (`?::uuid[]`); the query builder would
 * otherwise spread a JS array into a list. Non-UUIDs are dropped: they cannot name a row.
 */
export const uuidArray = (ids: readonly string[]): string => `{${ids.filter(isUuid).join(',')}}`;
