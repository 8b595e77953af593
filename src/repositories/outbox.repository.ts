import { type EntityManager } from '@mikro-orm/postgresql';

/** Read-side counts of the outbox (what operators watch: the backlog and what gave up). */
export class OutboxRepository {
  constructor(private readonly em: EntityManager) {}

  async countByStatus(): Promise<Map<string, number>> {
    const rows: { status: string; count: string | number }[] = await this.em.execute(
      'select status, count(*) as count from outbox_message group by status',
    );
    return new Map(rows.map((row) => [row.status, Number(row.count)]));
  }
}
