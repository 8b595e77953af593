/**
 * Pure mapping of SCIM User request bodies (RFC 7643 §4.1, §4.3) to `ScimUserState`.
 *
 * `readUserBody` reads a POST or PUT body with the same tolerant machinery as PATCH (a body is a path-less
 * "replace" of every attribute onto a blank user, RFC 7644 §3.5.1): attribute names in any case, dotted and
 * URN-prefixed keys, the enterprise extension nested under its URN key, `manager` as a bare string or `{value}`,
 * `"True"`/`"False"` strings, and unknown or read-only keys (`id`, `meta`, `password`, `groups`) ignored.
 */
import { looksLikeEmail } from '../../domain/member-rules';
import { ScimError } from '../protocol/errors';
import { expandValueObject } from '../protocol/patch';
import { type ScimEmail, type ScimUserState, emptyUserState, isPlainObject } from '../protocol/types';
import { applyUserPatch, toEmail } from './user-patch';
import { getCaseInsensitive, parseScimBoolean } from '../protocol/values';

export { parseScimBoolean };

/**
 * The login email of a SCIM user: the primary email, else the `work` one, else the first, else
 * `userName` when it looks like an address. Entries whose value is not an email address are passed over (the
 * Microsoft reference collection sends `"value": "emailName357"` as the primary one): the next in that order is
 * taken. Accepts a raw body or a `ScimUserState`. Else 400 `invalidValue`.
 */
export function chooseEmail(body: unknown): string {
  const rawEmails = getCaseInsensitive(body, 'emails');
  const emails: ScimEmail[] = [];
  if (Array.isArray(rawEmails)) {
    for (const raw of rawEmails) {
      try {
        const email = toEmail(raw);
        if (looksLikeEmail(email.value.trim())) emails.push(email);
      } catch {
        // an entry without a usable value cannot be the login email
      }
    }
  }
  const chosen =
    emails.find((e) => e.primary === true) ?? emails.find((e) => e.type?.toLowerCase() === 'work') ?? emails[0];
  if (chosen) return chosen.value.trim();
  const userName = getCaseInsensitive(body, 'userName');
  if (typeof userName === 'string' && looksLikeEmail(userName.trim())) return userName.trim();
  throw new ScimError(
    400,
    'invalidValue',
    'the user needs an email address: give "emails" or an email address as "userName"',
  );
}

/**
 * Whether a PUT body says anything about `active` (also URN-prefixed; null counts as absent, RFC 7643 §2.5).
 * A PUT without it leaves the member's access as it is: an IdP updating a suspended user's name must not
 * give access back.
 */
export function setsActive(body: unknown): boolean {
  if (!isPlainObject(body)) return false;
  return Object.entries(body).some(([k, v]) => v !== null && v !== undefined && /(^|:)active$/i.test(k));
}

/**
 * Reads a POST/PUT User body into the full state (absent attributes are null, `active` defaults to true).
 * `userName` is required (RFC 7643 §4.1.1): a body without it is 400 `invalidValue`, even when it has emails.
 */
export function readUserBody(body: unknown): ScimUserState {
  if (!isPlainObject(body)) throw new ScimError(400, 'invalidSyntax', 'the request body must be a JSON object');
  const state = applyUserPatch(emptyUserState(), expandValueObject('replace', body));
  if (!state.userName.trim()) throw new ScimError(400, 'invalidValue', '"userName" is required (RFC 7643 §4.1.1)');
  return state;
}
