import { type EntityManager } from '@mikro-orm/postgresql';
import { SignInLink, type User } from '../entities';

/** E-mail sign-in links, by the hash of the token the e-mail carried. */
export class SignInLinkRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Marks the link used and returns its account, in one statement: of two requests with the same link at
   * the same moment exactly one gets the account. Expired, used or unknown links return null.
   */
  async consume(hash: string, now: Date): Promise<string | null> {
    const rows = await this.em.execute<{ user_id: string }[]>(
      `update sign_in_link set used_at = ? where hash = ? and used_at is null and expires_at > ? returning user_id`,
      [now, hash, now],
    );
    return rows[0]?.user_id ?? null;
  }

  /** The account of a link that could still be used, without using it (the link page names whose it is). */
  async usable(hash: string, now: Date): Promise<string | null> {
    const rows = await this.em.execute<{ user_id: string }[]>(
      `select user_id from sign_in_link where hash = ? and used_at is null and expires_at > ?`,
      [hash, now],
    );
    return rows[0]?.user_id ?? null;
  }

  /** Links of the account that could still be used (a cap keeps a stranger from flooding someone's mailbox). */
  async countOutstanding(userId: string, now: Date): Promise<number> {
    const [row] = await this.em.execute<{ count: number }[]>(
      `select count(*)::int as count from sign_in_link where user_id = ? and used_at is null and expires_at > ?`,
      [userId, now],
    );
    return row?.count ?? 0;
  }

  /** A new link for the account, stored as the hash of its token (written with the transaction's next flush). */
  create(user: User, hash: string, expiresAt: Date): void {
    this.em.persist(this.em.create(SignInLink, { user, hash, expiresAt }));
  }

  /**
   * Deletes up to `limit` links used or expired before `before`; returns how many. Rows another transaction
   * holds (a link being consumed, a concurrent purge on another instance) are skipped, not waited for.
   */
  async purgeDead(before: Date, limit: number): Promise<number> {
    const res = await this.em.execute(
      `delete from sign_in_link where id in (
         select id from sign_in_link where used_at < ? or expires_at < ? limit ? for update skip locked)`,
      [before, before, limit],
      'run',
    );
    return (res as { affectedRows?: number }).affectedRows ?? 0;
  }
}
