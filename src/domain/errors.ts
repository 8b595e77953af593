/** The one error vocabulary of the domain; each transport renders it with one exhaustive switch. */
export enum ErrorCode {
  NOT_FOUND = 'NOT_FOUND',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INVALID_INPUT = 'INVALID_INPUT',
  DUPLICATE_EMAIL = 'DUPLICATE_EMAIL',
  DUPLICATE_USER_NAME = 'DUPLICATE_USER_NAME',
  DUPLICATE_EXTERNAL_ID = 'DUPLICATE_EXTERNAL_ID',
  DUPLICATE_GROUP = 'DUPLICATE_GROUP',
  LAST_OWNER = 'LAST_OWNER',
  SEAT_LIMIT = 'SEAT_LIMIT',
  INVALID_STATE = 'INVALID_STATE',
  INVALID_TOKEN = 'INVALID_TOKEN',
  EMAIL_MISMATCH = 'EMAIL_MISMATCH',
  VERSION_MISMATCH = 'VERSION_MISMATCH',
  UNKNOWN_MEMBERS = 'UNKNOWN_MEMBERS',
  SCIM_DISABLED = 'SCIM_DISABLED',
  RATE_LIMITED = 'RATE_LIMITED',
  UNAVAILABLE = 'UNAVAILABLE',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field the error is about, when there is one (GraphQL userErrors.field). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (message = 'not allowed') => new DomainError(ErrorCode.FORBIDDEN, message);
export const invalidInput = (message: string, field?: string) =>
  new DomainError(ErrorCode.INVALID_INPUT, message, field);
