import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode } from '../domain/errors';
import { toDomainError } from '../http/unavailable';
import { UserError } from './common/user-error.type';

/** The `extensions.code` values of top-level errors: the domain vocabulary as GraphQL clients know it. */
export type GraphqlCode =
  'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT' | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE';

export interface Disposition {
  /** The code a top-level error carries. */
  code: GraphqlCode;
  /** A business failure: a mutation reports it in `userErrors`, it does not fail the operation. */
  userError: boolean;
  /** The HTTP status of a request refused with this error before execution (authentication, rate limit). */
  status: number;
  /**
   * About the request rather than one field (credentials, budget, outage): raised by a resolver, it still decides
   * the response's HTTP status. Other errors fail their field only, and the response stays 200 as GraphQL has it.
   */
  requestLevel: boolean;
}

/** The one exhaustive mapping from domain error codes to GraphQL (a new ErrorCode does not compile until placed). */
export function dispositionOf(code: ErrorCode): Disposition {
  switch (code) {
    case ErrorCode.NOT_FOUND:
      return { code: 'NOT_FOUND', userError: false, status: 404, requestLevel: false };
    case ErrorCode.FORBIDDEN:
      return { code: 'FORBIDDEN', userError: false, status: 403, requestLevel: false };
    case ErrorCode.UNAUTHENTICATED:
      return { code: 'UNAUTHENTICATED', userError: false, status: 401, requestLevel: true };
    case ErrorCode.RATE_LIMITED:
      return { code: 'RATE_LIMITED', userError: false, status: 429, requestLevel: true };
    case ErrorCode.UNAVAILABLE:
      return { code: 'SERVICE_UNAVAILABLE', userError: false, status: 503, requestLevel: true };
    case ErrorCode.INVALID_INPUT:
    case ErrorCode.DUPLICATE_EMAIL:
    case ErrorCode.DUPLICATE_USER_NAME:
    case ErrorCode.DUPLICATE_EXTERNAL_ID:
    case ErrorCode.DUPLICATE_GROUP:
    case ErrorCode.LAST_OWNER:
    case ErrorCode.SEAT_LIMIT:
    case ErrorCode.INVALID_STATE:
    case ErrorCode.INVALID_TOKEN:
    case ErrorCode.EMAIL_MISMATCH:
    case ErrorCode.VERSION_MISMATCH:
    case ErrorCode.UNKNOWN_MEMBERS:
    case ErrorCode.MANAGED_BY_IDP:
      return { code: 'BAD_USER_INPUT', userError: true, status: 400, requestLevel: false };
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped error code ${String(unhandled)}`);
    }
  }
}

/** RFC 6750 §3: a 401 names the scheme the client should use. */
export const WWW_AUTHENTICATE = 'Bearer realm="orgd"';

/** The HTTP headers a response failed by `err` carries (lower-case names). */
export function httpHeadersOf(err: DomainError): Record<string, string> {
  return {
    ...(err.code === ErrorCode.UNAUTHENTICATED ? { 'www-authenticate': WWW_AUTHENTICATE } : {}),
    ...(err.retryAfterSeconds !== undefined ? { 'retry-after': String(err.retryAfterSeconds) } : {}),
  };
}

/** A domain error as a top-level GraphQL error: its GraphQL code, and the domain code when they differ. */
function formatDomainError(err: DomainError): GraphQLFormattedError {
  const { code } = dispositionOf(err.code);
  return {
    message: err.message,
    extensions: {
      code,
      ...(code !== err.code ? { reason: err.code } : {}),
      ...(err.field ? { field: err.field } : {}),
      ...(err.retryAfterSeconds !== undefined ? { retryAfter: err.retryAfterSeconds } : {}),
    },
  };
}

export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: { errors: GraphQLFormattedError[] };
}

/** The whole HTTP answer to a request refused before execution, in GraphQL's error shape. */
export function refusal(err: DomainError): Refusal {
  return {
    status: dispositionOf(err.code).status,
    headers: httpHeadersOf(err),
    body: { errors: [formatDomainError(err)] },
  };
}

/**
 * The request-level error among those of an executed operation (the highest status wins: an outage over a spent
 * budget over missing credentials), which decides the response's status and headers; undefined when there is none.
 */
export function requestFailure(errors: readonly unknown[]): DomainError | undefined {
  let failure: DomainError | undefined;
  for (const error of errors) {
    const domain = toDomainError(unwrapResolverError(error));
    if (!domain || !dispositionOf(domain.code).requestLevel) continue;
    if (!failure || dispositionOf(domain.code).status > dispositionOf(failure.code).status) failure = domain;
  }
  return failure;
}

export const toUserError = (err: DomainError, field?: string): UserError =>
  Object.assign(new UserError(), { code: err.code, message: err.message, field: field ?? err.field ?? null });

export interface Outcome<T> {
  value: T | null;
  userErrors: UserError[];
}

/**
 * Runs one mutation step. Business failures become userErrors; the rest (not found, forbidden, bugs)
 * fails the field. In a bulk mutation the organization was checked first, so `everyDomainError` turns
 * every domain error of one item (an unknown member id, an owner an admin may not touch) into its result.
 */
export async function attempt<T>(
  work: () => Promise<T>,
  opts: { field?: string; everyDomainError?: boolean; forbiddenIsUserError?: boolean } = {},
): Promise<Outcome<T>> {
  try {
    return { value: await work(), userErrors: [] };
  } catch (err) {
    // forbiddenIsUserError: the caller checked the organization-wide right first, so a FORBIDDEN now is about this
    // change (authority over the member, a grant it does not hold) and is reported like any refused change.
    const itemForbidden = opts.forbiddenIsUserError && err instanceof DomainError && err.code === ErrorCode.FORBIDDEN;
    if (err instanceof DomainError && (opts.everyDomainError || itemForbidden || dispositionOf(err.code).userError)) {
      const field = opts.field && err.field ? `${opts.field}.${err.field}` : (opts.field ?? err.field);
      return { value: null, userErrors: [toUserError(err, field)] };
    }
    throw err;
  }
}

export const INTERNAL_MESSAGE = 'Internal server error';

export function isUnexpected(error: unknown): boolean {
  if (toDomainError(unwrapResolverError(error))) return false;
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  return code === undefined || code === 'INTERNAL_SERVER_ERROR';
}

/**
 * Apollo's formatError: domain errors (a database outage included) get their code, validation errors a readable
 * message, and anything unexpected is masked (it is logged with its stack by the logging plugin).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  const domain = toDomainError(unwrapResolverError(error));
  if (domain) {
    const { message, extensions } = formatDomainError(domain);
    return { message, ...where, extensions };
  }
  const validation = formatted.extensions?.validationErrors as ValidationErrorLike[] | undefined;
  if (formatted.extensions?.code === 'BAD_USER_INPUT' && Array.isArray(validation)) {
    const fields = flattenValidation(validation);
    return {
      message: `Invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`.slice(0, 1000),
      ...where,
      extensions: { code: 'BAD_USER_INPUT', fields },
    };
  }
  if (isUnexpected(error))
    return { message: INTERNAL_MESSAGE, ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  return formatted;
}

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

// class-validator errors, without their `target` and `value` (the input echoed back).
function flattenValidation(errors: ValidationErrorLike[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property)
      ? `${prefix}[${e.property}]`
      : prefix
        ? `${prefix}.${e.property}`
        : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}
