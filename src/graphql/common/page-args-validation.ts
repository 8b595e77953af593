import { validateOrReject } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { MAX_CURSOR_LENGTH, MAX_PAGE_SIZE } from './page.args';

/**
 * Validates a nested connection's ForwardPageArgs (a member's groups, a group's members): resolved once per node
 * of a page, so the common case, arguments plainly within bounds, skips class-validator. Anything else gets the
 * full validation, with the same options and error as every other argument (type-graphql's defaults).
 */
export async function validateForwardPageArgs(value: unknown): Promise<void> {
  const args = value as { first?: number | null; after?: string | null } | null;
  if (!args || typeof args !== 'object' || forwardPageArgsPlainlyValid(args)) return;
  await fullValidation(args);
}

/** The common case: `first` and `after` absent or plainly within bounds (no validation needed). */
export function forwardPageArgsPlainlyValid(args: { first?: number | null; after?: string | null }): boolean {
  const firstOk =
    args.first == null || (Number.isInteger(args.first) && args.first >= 1 && args.first <= MAX_PAGE_SIZE);
  return firstOk && (args.after == null || (typeof args.after === 'string' && args.after.length <= MAX_CURSOR_LENGTH));
}

/**
 * The same for a list's PageArgs with a filter (`organization.members`): arguments plainly within bounds and no
 * filter skip class-validator; anything else gets the full validation (the filter's rules included).
 */
export async function validateListArgs(value: unknown): Promise<void> {
  const args = value as {
    first?: number | null;
    after?: string | null;
    last?: number | null;
    before?: string | null;
    filter?: unknown;
  } | null;
  if (!args || typeof args !== 'object') return;
  if (
    args.filter == null &&
    forwardPageArgsPlainlyValid(args) &&
    forwardPageArgsPlainlyValid({ first: args.last, after: args.before })
  )
    return;
  await fullValidation(args);
}

/** class-validator with the options and the error type-graphql uses for every other argument. */
async function fullValidation(args: object): Promise<void> {
  try {
    await validateOrReject(args, { skipMissingProperties: true, forbidUnknownValues: false });
  } catch (err) {
    throw new ArgumentValidationError(err as ConstructorParameters<typeof ArgumentValidationError>[0]);
  }
}
