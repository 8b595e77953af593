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
  /** The identity provider manages it (a SCIM group's membership): changed there, not here. */
  MANAGED_BY_IDP = 'MANAGED_BY_IDP',
  RATE_LIMITED = 'RATE_LIMITED',
  UNAVAILABLE = 'UNAVAILABLE',
}

export interface DomainErrorDetails {
  /** How long the caller should wait before trying again (RATE_LIMITED; UNAVAILABLE when known). */
  retryAfterSeconds?: number;
}

export class DomainError extends Error {
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field the error is about, when there is one (GraphQL userErrors.field). */
    readonly field?: string,
    details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export const notFound = (what: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (message = 'not allowed') => new DomainError(ErrorCode.FORBIDDEN, message);
export const invalidInput = (message: string, field?: string) =>
  new DomainError(ErrorCode.INVALID_INPUT, message, field);
export const unauthenticated = (message: string) => new DomainError(ErrorCode.UNAUTHENTICATED, message);

/** Over a budget: `retryAfterSeconds` (whole seconds, at least 1) is when the next attempt may pass. */
export const rateLimited = (retryAfterSeconds: number, message: string) =>
  new DomainError(ErrorCode.RATE_LIMITED, `${message}; retry in ${retryAfterSeconds} s.`, undefined, {
    retryAfterSeconds,
  });

export const UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable; retry later.';

/** A dependency (the database, an identity provider) does not answer: not the caller's fault, worth a retry. */
export const unavailable = (message = UNAVAILABLE_MESSAGE) => new DomainError(ErrorCode.UNAVAILABLE, message);
