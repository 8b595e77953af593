import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, ErrorCode } from '../domain/errors';
import { UserError } from './common/user-error.type';
import { isDatabaseUnavailable } from '../http/unavailable';

/** The `extensions.code` values of top-level errors (DESIGN §2: one vocabulary, rendered here for GraphQL). */
export type GraphqlCode =
  'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'BAD_USER_INPUT' | 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE';

export interface Disposition {
  /** The code a top-level error carries. */
  code: GraphqlCode;
  /** A business failure: a mutation reports it in `userErrors`, it does not fail the operation. */
  userError: boolean;
}

/** The one exhaustive mapping from domain error codes to GraphQL (a new ErrorCode does not compile until placed). */
export function dispositionOf(code: ErrorCode): Disposition {
  switch (code) {
    case ErrorCode.NOT_FOUND:
      return { code: 'NOT_FOUND', userError: false };
    case ErrorCode.FORBIDDEN:
      return { code: 'FORBIDDEN', userError: false };
    case ErrorCode.UNAUTHENTICATED:
      return { code: 'UNAUTHENTICATED', userError: false };
    case ErrorCode.RATE_LIMITED:
      return { code: 'RATE_LIMITED', userError: false };
    case ErrorCode.UNAVAILABLE:
      return { code: 'SERVICE_UNAVAILABLE', userError: false };
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
    case ErrorCode.SCIM_DISABLED:
      return { code: 'BAD_USER_INPUT', userError: true };
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped error code ${String(unhandled)}`);
    }
  }
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

export const UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable; retry later.';

export function isUnexpected(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError || isDatabaseUnavailable(original)) return false;
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  return code === undefined || code === 'INTERNAL_SERVER_ERROR';
}

/**
 * Apollo's formatError: domain errors get their code, validation errors a readable message, and
 * anything unexpected is masked (it is logged with its stack by the logging plugin).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (original instanceof DomainError) {
    const { code } = dispositionOf(original.code);
    return {
      message: original.message,
      ...where,
      extensions: {
        code,
        ...(code !== original.code ? { reason: original.code } : {}),
        ...(original.field ? { field: original.field } : {}),
      },
    };
  }
  if (isDatabaseUnavailable(original)) {
    // Not a bug and not the client's fault: say so, so that clients retry (HTTP 503, see server.ts).
    return { message: UNAVAILABLE_MESSAGE, ...where, extensions: { code: 'SERVICE_UNAVAILABLE' } };
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
