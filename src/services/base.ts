import { DeadlockException } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import type pino from 'pino';
import { type Config } from '../config';
import { type Orm } from '../db';
import { DomainError, ErrorCode } from '../domain/errors';
import { translateDbError } from './db-errors';

/** Runs of one write in all when it loses a deadlock (40P01) or a serialization check (40001): MikroORM's DeadlockException. */
const WRITE_ATTEMPTS = 3;

/** The keyset page every service list returns, for the transports to render. */
export type { Page } from '../repositories/pagination';

export interface ServiceDeps {
  orm: Orm;
  config: Config;
  logger: pino.Logger;
}

/** Shared plumbing: a fresh EntityManager per call, one transaction per write, database errors named. */
export abstract class BaseService {
  constructor(protected readonly deps: ServiceDeps) {}

  protected em(): EntityManager {
    return this.deps.orm.em.fork() as EntityManager;
  }

  /**
   * Runs `work` in one transaction: it all commits, or nothing does. A deadlock or serialization failure
   * rolled everything back, so the whole transaction is run again (a few times) instead of failing the client.
   */
  protected async write<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.em().transactional((tx) => work(tx as EntityManager));
      } catch (err) {
        if (err instanceof DeadlockException && attempt < WRITE_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
          continue;
        }
        throw translateDbError(err);
      }
    }
  }

  protected async read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await work(this.em());
    } catch (err) {
      throw translateDbError(err);
    }
  }
}

/** Locks the organization row: serializes the checks that count rows (last owner, seats). */
export async function lockOrganization(tx: EntityManager, organizationId: string): Promise<void> {
  await tx.execute('select id from organization where id = ? for update', [organizationId]);
}

/** Optimistic concurrency (SCIM If-Match): the write fails unless the row is at the expected version. */
export function assertVersion(row: { version: number }, expected: number | undefined, what: string): void {
  if (expected !== undefined && row.version !== expected) {
    throw new DomainError(ErrorCode.VERSION_MISMATCH, `the ${what} is at version ${row.version}, not ${expected}`);
  }
}
