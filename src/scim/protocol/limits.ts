/**
 * Upper bounds on the lists one SCIM request may carry, so that no request costs more than a bounded amount of
 * work (applying a PATCH compares entries with each other). Over a bound: 400 `invalidValue` naming it. RFC 7644
 * reserves `tooMany` for filters that match too much (§3.12), so a list that is too long is an invalid value.
 */
import { ScimError } from './errors';

/** `emails` entries one User may have (people have a handful; the bound keeps e-mail matching cheap). */
export const MAX_EMAILS = 100;

/** `phoneNumbers` entries one User may have (the same bound, for the same reason). */
export const MAX_PHONE_NUMBERS = 100;

/** Member values one Group write may name, over all its operations (an IdP batches larger changes). */
export const MAX_MEMBER_VALUES = 10_000;

export function tooLong(what: string, limit: number): ScimError {
  return new ScimError(
    400,
    'invalidValue',
    `${what}: at most ${limit.toLocaleString('en-US')} values per request (the limit is ${limit})`,
  );
}
