/**
 * Named prepared statements (repositories/prepared.ts): the same rows as the ORM's way, in and out of a transaction,
 * errors converted as the ORM converts them, and a statement prepared before a migration changed its table still
 * answers afterwards.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import { numberedPlaceholders, preparedRows } from '../../src/repositories/prepared';
import { newUnitOfWork } from '../../src/repositories/unit-of-work';
import { type TestDatabase, createTestDatabase, engineName } from '../helpers/db';

describe('numberedPlaceholders', () => {
  it('numbers the placeholders outside quotes', () => {
    expect(numberedPlaceholders(`select ? where a = '?' and "b?" = ? and c = ?`, 3)).toBe(
      `select $1 where a = '?' and "b?" = $2 and c = $3`,
    );
  });

  it('refuses identifier bindings and a count that does not match the values', () => {
    expect(numberedPlaceholders('select ?? from t', 1)).toBeNull();
    expect(numberedPlaceholders('select ? from t', 2)).toBeNull();
  });
});

describe(`prepared statements (${engineName()})`, () => {
  let db: TestDatabase;
  let em: EntityManager;
  beforeAll(async () => {
    db = await createTestDatabase();
    em = newUnitOfWork(db.orm);
    await em.execute('create table prepared_probe (id int primary key, name text not null)');
    await em.execute(`insert into prepared_probe values (1, 'one'), (2, 'two')`);
  });
  afterAll(async () => {
    await db.drop();
  });

  const probe = `select * from prepared_probe where id = ? and name <> '?'`;

  it('answers the rows the ORM answers, again and again on the pooled connections', async () => {
    for (let i = 0; i < 30; i++) {
      const id = (i % 2) + 1;
      expect(await preparedRows(em, probe, [id])).toEqual(await em.execute(probe, [id]));
    }
  });

  it('runs inside the transaction it is called in', async () => {
    await expect(
      newUnitOfWork(db.orm).transactional(async (tx) => {
        await preparedRows(tx as EntityManager, 'insert into prepared_probe values (?, ?) returning *', [3, 'three']);
        expect(await preparedRows(tx as EntityManager, probe, [3])).toEqual([{ id: 3, name: 'three' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await preparedRows(em, probe, [3])).toEqual([]);
  });

  it('converts a constraint violation as the ORM does', async () => {
    await expect(preparedRows(em, 'insert into prepared_probe values (?, ?)', [1, 'again'])).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
  });

  it('still answers after a migration changed the table under a prepared statement', async () => {
    for (let i = 0; i < 12; i++) await preparedRows(em, probe, [1]); // prepared on the pool's connections
    await em.execute('alter table prepared_probe add column extra text');
    for (let i = 0; i < 12; i++)
      expect(await preparedRows(em, probe, [1])).toEqual([{ id: 1, name: 'one', extra: null }]);
  });
});
