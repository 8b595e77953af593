import { DriverException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError, ErrorCode } from '../domain/errors';

// Constraint names from the migrations -> domain errors. Uniqueness lives in the database; this names it.
const uniqueConstraints: Record<string, [ErrorCode, string, string]> = {
  member_org_email_unique: [ErrorCode.DUPLICATE_EMAIL, 'a member with this email already exists', 'email'],
  member_org_user_name_unique: [
    ErrorCode.DUPLICATE_USER_NAME,
    'a member with this userName already exists',
    'userName',
  ],
  member_org_external_id_unique: [
    ErrorCode.DUPLICATE_EXTERNAL_ID,
    'a member with this externalId already exists',
    'externalId',
  ],
  group_org_external_id_unique: [
    ErrorCode.DUPLICATE_GROUP,
    'a group with this externalId already exists',
    'externalId',
  ],
  app_user_email_lower_unique: [ErrorCode.DUPLICATE_EMAIL, 'an account with this email already exists', 'email'],
  app_user_oidc_subject_unique: [ErrorCode.INVALID_STATE, 'this identity is already bound to an account', 'sub'],
};

// SQLSTATE class 22 (data exception) codes that only bad input can cause.
const DATA_EXCEPTIONS: Record<string, string> = {
  '22001': 'a value is longer than the field allows',
  '22021': 'a value contains a character that cannot be stored (such as U+0000)',
  '22P05': 'a value contains a character that cannot be stored (such as U+0000)',
};

/** Translates database conflicts into DomainErrors; anything else is rethrown untouched. */
export function translateDbError(err: unknown): unknown {
  if (err instanceof UniqueConstraintViolationException) {
    const text = `${(err as { constraint?: string }).constraint ?? ''} ${err.message}`;
    const name = Object.keys(uniqueConstraints).find((c) => text.includes(c));
    if (name) {
      const [code, message, field] = uniqueConstraints[name];
      return new DomainError(code, message, field);
    }
    return new DomainError(ErrorCode.INVALID_STATE, 'conflicts with an existing record');
  }
  // Data the database cannot store (too long for its column, U+0000 in text or jsonb) is bad input, not a crash.
  if (err instanceof DriverException && err.code && DATA_EXCEPTIONS[err.code]) {
    return new DomainError(ErrorCode.INVALID_INPUT, DATA_EXCEPTIONS[err.code]);
  }
  if (err instanceof OptimisticLockError) {
    return new DomainError(ErrorCode.VERSION_MISMATCH, 'the record was changed by someone else; read it again');
  }
  return err;
}
