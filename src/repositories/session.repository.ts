import { type EntityManager } from '@mikro-orm/postgresql';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, type SignInMethod } from '../domain/session-rules';
import { Session, type User } from '../entities';

/** Session rows: looked up by the hash of the cookie's secret, listed per account. */
export class SessionRepository {
  constructor(private readonly em: EntityManager) {}

  findByHash(hash: string): Promise<Session | null> {
    return this.em.findOne(Session, { hash }, { populate: ['user'] });
  }

  /** The account's sessions that still work, newest first. */
  listLive(userId: string, now = new Date()): Promise<Session[]> {
    return this.em.find(
      Session,
      {
        user: userId,
        revokedAt: null,
        createdAt: { $gt: new Date(now.getTime() - SESSION_ABSOLUTE_MS) },
        lastSeenAt: { $gt: new Date(now.getTime() - SESSION_IDLE_MS) },
      },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  findOwn(userId: string, id: string): Promise<Session | null> {
    return this.em.findOne(Session, { id, user: userId });
  }

  /** Stamps last_seen_at; a plain update, outside any transaction (a read path must not take row locks). */
  async touch(id: string, at: Date): Promise<void> {
    await this.em.nativeUpdate(Session, { id }, { lastSeenAt: at });
  }

  /** A new session (written with the transaction's next flush). */
  create(fields: { user: User; hash: string; method: SignInMethod; userAgent: string | null }): Session {
    return this.em.create(Session, fields);
  }

  /** Revokes the live session with this hash, if there is one. */
  async revokeByHash(hash: string, at: Date): Promise<void> {
    await this.em.nativeUpdate(Session, { hash, revokedAt: null }, { revokedAt: at });
  }

  /**
   * Deletes up to `limit` sessions that died (revoked, idle too long or too old) before `before`; returns how many.
   * One short statement: rows another transaction holds (a revoke in flight, a concurrent purge on another
   * instance) are skipped, not waited for.
   */
  async purgeDead(before: Date, limit: number): Promise<number> {
    const res = await this.em.execute(
      `delete from session where id in (
         select id from session where revoked_at < ? or last_seen_at < ? or created_at < ?
         limit ? for update skip locked)`,
      [before, new Date(before.getTime() - SESSION_IDLE_MS), new Date(before.getTime() - SESSION_ABSOLUTE_MS), limit],
      'run',
    );
    return (res as { affectedRows?: number }).affectedRows ?? 0;
  }
}
