import { type DomainError, ErrorCode } from '../../domain/errors';
import { toDomainError } from '../../http/unavailable';
import { ScimError } from './errors';

/** RFC 6750 §3: a 401 names the scheme the client should use. */
export const SCIM_WWW_AUTHENTICATE = 'Bearer realm="scim"';

/** RFC 9110 §10.2.3: when a refused request may be sent again. */
const retryAfter = (err: DomainError): Record<string, string> =>
  err.retryAfterSeconds !== undefined ? { 'Retry-After': String(err.retryAfterSeconds) } : {};

/**
 * The domain vocabulary rendered as SCIM status + scimType (RFC 7644 §3.12) and the headers that go with it.
 * One exhaustive switch: adding an ErrorCode without a case here fails the build.
 */
export function scimErrorFromDomain(err: DomainError): ScimError {
  const code: ErrorCode = err.code;
  switch (code) {
    case ErrorCode.NOT_FOUND:
      return new ScimError(404, undefined, err.message);
    case ErrorCode.FORBIDDEN:
      return new ScimError(403, undefined, err.message);
    case ErrorCode.UNAUTHENTICATED:
      return new ScimError(401, undefined, err.message, { 'WWW-Authenticate': SCIM_WWW_AUTHENTICATE });
    case ErrorCode.DUPLICATE_EMAIL:
    case ErrorCode.DUPLICATE_USER_NAME:
    case ErrorCode.DUPLICATE_EXTERNAL_ID:
    case ErrorCode.DUPLICATE_GROUP:
      return new ScimError(409, 'uniqueness', err.message);
    case ErrorCode.VERSION_MISMATCH:
      return new ScimError(412, undefined, err.message);
    // RFC 7644 §3.12: an attempt to change what the client may not (never raised for the identity provider itself).
    case ErrorCode.MANAGED_BY_IDP:
      return new ScimError(400, 'mutability', err.message);
    case ErrorCode.INVALID_INPUT:
    case ErrorCode.UNKNOWN_MEMBERS:
    case ErrorCode.LAST_OWNER:
    case ErrorCode.SEAT_LIMIT:
    case ErrorCode.INVALID_STATE:
    case ErrorCode.INVALID_TOKEN:
    case ErrorCode.EMAIL_MISMATCH:
      return new ScimError(400, 'invalidValue', err.message);
    case ErrorCode.RATE_LIMITED:
      return new ScimError(429, undefined, err.message, retryAfter(err));
    case ErrorCode.UNAVAILABLE:
      return new ScimError(503, undefined, err.message, retryAfter(err));
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped error code ${String(unhandled)}`);
    }
  }
}

/** Any thrown value as a ScimError (a database outage is the domain UNAVAILABLE); `null` for a bug (logged, 500). */
export function toScimError(err: unknown): ScimError | null {
  if (err instanceof ScimError) return err;
  const domain = toDomainError(err);
  return domain ? scimErrorFromDomain(domain) : null;
}
