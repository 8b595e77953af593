import { DeadlockException } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type Orm } from '../db';
import { translateDbError } from './db-errors';

/**
 * One unit of work: the handle a service passes to repositories so that their statements run in its transaction
 * (or, for a read, share one identity map). Services hold it without knowing the ORM behind it.
 */
export type Transaction = EntityManager;

/** Runs of one write in all when it loses a deadlock (40P01) or a serialization check (40001): MikroORM's DeadlockException. */
const WRITE_ATTEMPTS = 3;

/** A fresh unit of work (its own identity map), outside any transaction. */
export function newUnitOfWork(orm: Orm): Transaction {
  return orm.em.fork() as EntityManager;
}

/**
 * Runs `work` in one transaction: it all commits, or nothing does. A deadlock or serialization failure
 * rolled everything back, so the whole transaction is run again (a few times) instead of failing the client.
 * Database conflicts come out as DomainErrors.
 */
export async function inTransaction<T>(orm: Orm, work: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await newUnitOfWork(orm).transactional((tx) => work(tx as EntityManager));
    } catch (err) {
      if (err instanceof DeadlockException && attempt < WRITE_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        continue;
      }
      throw translateDbError(err);
    }
  }
}

/** Runs `work` on a fresh unit of work without a transaction; database errors come out named, as for a write. */
export async function outsideTransaction<T>(orm: Orm, work: (em: Transaction) => Promise<T>): Promise<T> {
  try {
    return await work(newUnitOfWork(orm));
  } catch (err) {
    throw translateDbError(err);
  }
}

/** Writes the pending changes of the unit of work (inserts, updates, deletes) now, inside its transaction. */
export async function flush(tx: Transaction): Promise<void> {
  await tx.flush();
}
