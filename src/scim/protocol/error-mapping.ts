import { DomainError, ErrorCode } from '../../domain/errors';
import { isDatabaseUnavailable } from '../../http/unavailable';
import { ScimError } from './errors';

/**
 * The domain vocabulary rendered as SCIM status + scimType (RFC 7644 §3.12). One exhaustive switch:
 * adding an ErrorCode without a case here fails the build.
 */
export function scimErrorFromDomain(err: DomainError): ScimError {
  const code: ErrorCode = err.code;
  switch (code) {
    case ErrorCode.NOT_FOUND:
      return new ScimError(404, undefined, err.message);
    case ErrorCode.FORBIDDEN:
      return new ScimError(403, undefined, err.message);
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.SCIM_DISABLED:
      return new ScimError(401, undefined, err.message);
    case ErrorCode.DUPLICATE_EMAIL:
    case ErrorCode.DUPLICATE_USER_NAME:
    case ErrorCode.DUPLICATE_EXTERNAL_ID:
    case ErrorCode.DUPLICATE_GROUP:
      return new ScimError(409, 'uniqueness', err.message);
    case ErrorCode.VERSION_MISMATCH:
      return new ScimError(412, undefined, err.message);
    case ErrorCode.INVALID_INPUT:
    case ErrorCode.UNKNOWN_MEMBERS:
    case ErrorCode.LAST_OWNER:
    case ErrorCode.SEAT_LIMIT:
    case ErrorCode.INVALID_STATE:
    case ErrorCode.INVALID_TOKEN:
    case ErrorCode.EMAIL_MISMATCH:
      return new ScimError(400, 'invalidValue', err.message);
    case ErrorCode.RATE_LIMITED:
      return new ScimError(429, undefined, err.message);
    case ErrorCode.UNAVAILABLE:
      return new ScimError(503, undefined, err.message);
  }
}

/** Any thrown value as a ScimError; `null` for a bug (the caller logs it and answers a masked 500). */
export function toScimError(err: unknown): ScimError | null {
  if (err instanceof ScimError) return err;
  if (err instanceof DomainError) return scimErrorFromDomain(err);
  if (isDatabaseUnavailable(err))
    return new ScimError(503, undefined, 'the service is temporarily unavailable; retry later');
  return null;
}
