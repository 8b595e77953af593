import { type Orm } from '../db';
import { OutboxRepository } from '../repositories/outbox.repository';
import { newUnitOfWork } from '../repositories/unit-of-work';

/** Outbox messages by status (what operators watch: PENDING is the backlog, FAILED gave up). */
export function outboxCountsByStatus(orm: Orm): Promise<Map<string, number>> {
  return new OutboxRepository(newUnitOfWork(orm)).countByStatus();
}
