import { type EntityManager } from '@mikro-orm/postgresql';
import { OutboxStatus } from '../domain/enums';
import { uuidArray } from '../domain/ids';
import { type Organization, OutboxMessage } from '../entities';
import { type OutboxMail } from '../entities/outbox-message.entity';
import { preparedRows } from './prepared';

export type { OutboxMail };

/** A message claimed for delivery. */
export interface ClaimedMessage {
  id: string;
  recipient: string;
  mail: OutboxMail;
  attempts: number;
  kind: string;
}

export interface NewOutboxMessage {
  kind: 'INVITATION' | 'SIGN_IN_LINK' | 'WEBHOOK_DISABLED' | 'SAFEGUARD_TRIPPED';
  recipient: string;
  mail: OutboxMail;
  organization?: Organization;
  memberId?: string;
}

/** What a message says and to whom, without what it concerns: for a write that stores the message itself. */
export type OutboxMessageContent = Pick<NewOutboxMessage, 'kind' | 'recipient' | 'mail'>;

/** The outbox: messages queued in the business transaction, delivered at least once by the dispatcher. */
export class OutboxRepository {
  constructor(private readonly em: EntityManager) {}

  /** Queues a message; it is written with the caller's transaction (and rolls back with it). */
  enqueue(message: NewOutboxMessage): void {
    this.em.persist(this.em.create(OutboxMessage, message));
  }

  /**
   * Claims up to `limit` due messages: FOR UPDATE SKIP LOCKED, so several instances share the work, and leased by
   * pushing next_attempt_at `leaseSeconds` forward, so a crash mid-send only delays a message.
   */
  async claim(leaseSeconds: number, limit: number): Promise<ClaimedMessage[]> {
    const rows = await this.em.execute<(Omit<ClaimedMessage, 'mail'> & { mail: OutboxMail | string })[]>(
      `update outbox_message set attempts = attempts + 1, next_attempt_at = now() + (? * interval '1 second')
       where id in (select id from outbox_message where status = 'PENDING' and next_attempt_at <= now()
                    order by next_attempt_at limit ? for update skip locked)
       returning id, recipient, mail, attempts, kind`,
      [leaseSeconds, limit],
    );
    return rows.map((row) => ({ ...row, mail: typeof row.mail === 'string' ? JSON.parse(row.mail) : row.mail }));
  }

  /** Delivered: the mail is replaced by what may be kept of it (`keptMail`). */
  async markSent(id: string, keptMail: string): Promise<void> {
    // One per delivered message: prepared once per connection.
    await preparedRows(
      this.em,
      `update outbox_message set status = 'SENT', sent_at = now(), last_error = null, mail = ?::jsonb where id = ?`,
      [keptMail, id],
    );
  }

  /** A failed attempt: due again after `backoffSeconds`, or FAILED for good (`gaveUp`, the mail then replaced). */
  async markFailed(
    id: string,
    error: string,
    backoffSeconds: number,
    gaveUp: boolean,
    keptMail: string,
  ): Promise<void> {
    await this.em.execute(
      `update outbox_message set status = ?, last_error = ?, next_attempt_at = now() + (? * interval '1 second'),
         mail = case when ? then ?::jsonb else mail end where id = ?`,
      [gaveUp ? OutboxStatus.FAILED : OutboxStatus.PENDING, error, backoffSeconds, gaveUp, keptMail, id],
    );
  }

  /** Unclaims messages that were not tried: due again now, and the claim's attempt is not counted. */
  async release(ids: string[]): Promise<void> {
    await this.em.execute(
      `update outbox_message set attempts = attempts - 1, next_attempt_at = now() where id = any(?::uuid[])`,
      [uuidArray(ids)],
    );
  }

  /** Read-side counts (what operators watch: the backlog and what gave up). */
  async countByStatus(): Promise<Map<string, number>> {
    const rows: { status: string; count: string | number }[] = await this.em.execute(
      'select status, count(*) as count from outbox_message group by status',
    );
    return new Map(rows.map((row) => [row.status, Number(row.count)]));
  }
}
