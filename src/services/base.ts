import type pino from 'pino';
import { type Config } from '../config';
import { type Orm } from '../db';
import { DomainError, ErrorCode } from '../domain/errors';
import { type Transaction, inTransaction, newUnitOfWork, outsideTransaction } from '../repositories/unit-of-work';
import { publishWebhookEvents } from './webhooks/publish';
import { type WebhookSubscriptions } from './webhooks/subscriptions';

/** The keyset page every service list returns, for the transports to render. */
export type { Page } from '../repositories/pagination';
export type { Transaction };

export interface ServiceDeps {
  orm: Orm;
  config: Config;
  logger: pino.Logger;
  /** The organizations' webhook endpoints, kept in memory; without it every write reads them. */
  webhookSubscriptions?: WebhookSubscriptions;
}

/** Shared plumbing: a fresh unit of work per call, one transaction per write, database errors named. */
export abstract class BaseService {
  constructor(protected readonly deps: ServiceDeps) {}

  protected em(): Transaction {
    return newUnitOfWork(this.deps.orm);
  }

  /**
   * Runs `work` in one transaction: it all commits, or nothing does (a lost deadlock is run again; see
   * repositories/unit-of-work). The webhook events its changes announce are written last, in the same transaction.
   */
  protected write<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return inTransaction(this.deps.orm, async (tx) => {
      const result = await work(tx);
      await publishWebhookEvents(tx, this.deps.webhookSubscriptions);
      return result;
    });
  }

  protected read<T>(work: (em: Transaction) => Promise<T>): Promise<T> {
    return outsideTransaction(this.deps.orm, work);
  }
}

/** Optimistic concurrency (SCIM If-Match): the write fails unless the row is at the expected version. */
export function assertVersion(row: { version: number }, expected: number | undefined, what: string): void {
  if (expected !== undefined && row.version !== expected) {
    throw new DomainError(ErrorCode.VERSION_MISMATCH, `the ${what} is at version ${row.version}, not ${expected}`);
  }
}
