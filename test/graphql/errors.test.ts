import 'reflect-metadata';
import { GraphQLError } from 'graphql';
import { DomainError, ErrorCode } from '../../src/domain/errors';
import { type Disposition, attempt, dispositionOf, formatError } from '../../src/graphql/errors';

// One row per domain error code: how GraphQL renders it.
const table: Record<ErrorCode, Disposition> = {
  [ErrorCode.NOT_FOUND]: { code: 'NOT_FOUND', userError: false },
  [ErrorCode.FORBIDDEN]: { code: 'FORBIDDEN', userError: false },
  [ErrorCode.UNAUTHENTICATED]: { code: 'UNAUTHENTICATED', userError: false },
  [ErrorCode.RATE_LIMITED]: { code: 'RATE_LIMITED', userError: false },
  [ErrorCode.UNAVAILABLE]: { code: 'SERVICE_UNAVAILABLE', userError: false },
  [ErrorCode.INVALID_INPUT]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.DUPLICATE_EMAIL]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.DUPLICATE_USER_NAME]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.DUPLICATE_EXTERNAL_ID]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.DUPLICATE_GROUP]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.LAST_OWNER]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.SEAT_LIMIT]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.INVALID_STATE]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.INVALID_TOKEN]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.EMAIL_MISMATCH]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.VERSION_MISMATCH]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.UNKNOWN_MEMBERS]: { code: 'BAD_USER_INPUT', userError: true },
  [ErrorCode.SCIM_DISABLED]: { code: 'BAD_USER_INPUT', userError: true },
};

/** What a resolver error looks like by the time Apollo formats it. */
const located = (original: Error) =>
  new GraphQLError(original.message, { path: ['organization', 'x'], originalError: original });

describe('GraphQL rendering of domain errors', () => {
  it('covers every ErrorCode', () => {
    expect(Object.keys(table).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it.each(Object.values(ErrorCode))('%s', async (code) => {
    expect(dispositionOf(code)).toEqual(table[code]);
    const err = new DomainError(code, `message for ${code}`, 'someField');
    // As a top-level error: its GraphQL code, its message, the domain code when they differ.
    const formatted = formatError({ message: err.message, path: ['organization', 'x'] }, located(err));
    expect(formatted).toEqual({
      message: `message for ${code}`,
      path: ['organization', 'x'],
      extensions: {
        code: table[code].code,
        ...(table[code].code !== code ? { reason: code } : {}),
        field: 'someField',
      },
    });
    // In a mutation: business failures become userErrors, the rest fails the field.
    const outcome = attempt(() => Promise.reject(err), { field: 'memberIds[3]' });
    if (table[code].userError)
      await expect(outcome).resolves.toEqual({
        value: null,
        userErrors: [{ code, message: err.message, field: 'memberIds[3].someField' }],
      });
    else await expect(outcome).rejects.toBe(err);
    // In a bulk item, after the organization-wide check, every domain error is the item's result.
    await expect(attempt(() => Promise.reject(err), { everyDomainError: true })).resolves.toMatchObject({
      userErrors: [{ code }],
    });
  });

  it('masks anything that is not a domain error or a GraphQL client error', () => {
    const bug = located(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(
      formatError(
        { message: bug.message, path: ['organization', 'x'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        bug,
      ),
    ).toEqual({
      message: 'Internal server error',
      path: ['organization', 'x'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const parse = new GraphQLError('Syntax Error: Expected Name', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(formatError({ message: parse.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, parse)).toEqual({
      message: parse.message,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('rewrites class-validator failures without echoing the input back', () => {
    const validationErrors = [
      {
        property: 'emails',
        value: ['x'],
        target: { secret: 'input' },
        constraints: { isEmail: 'each value in emails must be an email' },
      },
      {
        property: 'name',
        target: {},
        children: [
          {
            property: 'givenName',
            constraints: { maxLength: 'givenName must be shorter than or equal to 200 characters' },
          },
        ],
      },
    ];
    const err = new GraphQLError('Argument Validation Error', {
      extensions: { code: 'BAD_USER_INPUT', validationErrors },
    });
    const formatted = formatError(
      { message: err.message, extensions: { code: 'BAD_USER_INPUT', validationErrors } },
      err,
    );
    expect(formatted).toEqual({
      message:
        'Invalid input: emails: each value in emails must be an email; name.givenName: givenName must be shorter than or equal to 200 characters',
      extensions: {
        code: 'BAD_USER_INPUT',
        fields: [
          { field: 'emails', message: 'each value in emails must be an email' },
          { field: 'name.givenName', message: 'givenName must be shorter than or equal to 200 characters' },
        ],
      },
    });
  });
});
