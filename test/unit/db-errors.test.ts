import { DriverException } from '@mikro-orm/core';
import { DomainError, ErrorCode } from '../../src/domain/errors';
import { translateDbError } from '../../src/repositories/db-errors';

const driverError = (code: string) => new DriverException(Object.assign(new Error(`pg error ${code}`), { code }));

describe('translateDbError: data exceptions are bad input, not crashes', () => {
  it.each([['22001'], ['22021'], ['22P05']])('SQLSTATE %s -> INVALID_INPUT', (code) => {
    const err = translateDbError(driverError(code));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.INVALID_INPUT);
  });

  it('leaves other driver errors alone', () => {
    const err = driverError('57014');
    expect(translateDbError(err)).toBe(err);
  });
});
