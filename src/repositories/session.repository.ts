import { type EntityManager } from '@mikro-orm/postgresql';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, type SignInMethod } from '../domain/session-rules';
import { Session, type User } from '../entities';
import { keysetPage } from './keyset';
import { type Page, type PageRequest } from './pagination';
import { Selection, Where, textArray } from './selection';

/** The live-session condition on alias `s`, and its parameters: not revoked, idle, too old or past its parent's cap. */
function liveWhere(userId: string, now: Date): Where {
  return new Where('s.user_id = ?', userId)
    .and('s.revoked_at is null')
    .and('s.created_at > ?', new Date(now.getTime() - SESSION_ABSOLUTE_MS))
    .and('s.last_seen_at > ?', new Date(now.getTime() - SESSION_IDLE_MS))
    .and('s.expires_at is null or s.expires_at > ?', now);
}

/** Session rows: looked up by the hash of the cookie's secret, listed per account. */
export class SessionRepository {
  constructor(private readonly em: EntityManager) {}

  findByHash(hash: string): Promise<Session | null> {
    return this.em.findOne(Session, { hash }, { populate: ['user'] });
  }

  /** A page of the account's sessions that still work, newest first (keyset on created_at). */
  livePage(userId: string, page: PageRequest, now = new Date()): Promise<Page<Session>> {
    return keysetPage(
      new Selection(this.em, Session, 'session', 's', liveWhere(userId, now)),
      { sql: 's.created_at', read: (s) => s.createdAt.toISOString(), descending: true, kind: 'timestamp' },
      page,
    );
  }

  /** Ids of the account's live sessions, oldest first (the first to go when a new one would exceed the cap). */
  async liveIdsOldestFirst(userId: string, now = new Date()): Promise<string[]> {
    const where = liveWhere(userId, now);
    const rows = await this.em.execute<{ id: string }[]>(
      `select s.id from session s where ${where.sql} order by s.created_at, s.id`,
      where.params,
    );
    return rows.map((r) => r.id);
  }

  findOwn(userId: string, id: string): Promise<Session | null> {
    return this.em.findOne(Session, { id, user: userId });
  }

  /**
   * The account's session `id`, locked FOR SHARE until the transaction ends (a credential created under it then
   * cannot miss its revocation; see CredentialLineageRepository.revokeTrees). Null when it does not exist.
   */
  async lockOwn(userId: string, id: string): Promise<Session | null> {
    const [row] = await this.em.execute<Record<string, unknown>[]>(
      `select * from session where id = ? and user_id = ? for share`,
      [id, userId],
    );
    return row ? this.em.map(Session, row) : null;
  }

  /** What the account's lists show of these sessions as parents: their browser (purged ones are absent). */
  async userAgents(userId: string, ids: string[]): Promise<Map<string, string | null>> {
    if (!ids.length) return new Map();
    const rows = await this.em.execute<{ id: string; user_agent: string | null }[]>(
      `select id, user_agent from session where id = any(?::uuid[]) and user_id = ?`,
      [textArray(ids), userId],
    );
    return new Map(rows.map((r) => [r.id, r.user_agent]));
  }

  /** Stamps last_seen_at; a plain update, outside any transaction (a read path must not take row locks). */
  async touch(id: string, at: Date): Promise<void> {
    await this.em.nativeUpdate(Session, { id }, { lastSeenAt: at });
  }

  /** A new session (written with the transaction's next flush). */
  create(fields: {
    user: User;
    hash: string;
    method: SignInMethod;
    userAgent: string | null;
    parentTokenId: string | null;
    expiresAt: Date | null;
  }): Session {
    return this.em.create(Session, fields);
  }

  /**
   * Deletes up to `limit` sessions that died (revoked, idle too long, too old or past their cap) before `before`;
   * returns how many. One short statement: rows another transaction holds (a revoke in flight, a concurrent purge
   * on another instance) are skipped, not waited for.
   */
  async purgeDead(before: Date, limit: number): Promise<number> {
    const res = await this.em.execute(
      `delete from session where id in (
         select id from session where revoked_at < ? or last_seen_at < ? or created_at < ? or expires_at < ?
         limit ? for update skip locked)`,
      [
        before,
        new Date(before.getTime() - SESSION_IDLE_MS),
        new Date(before.getTime() - SESSION_ABSOLUTE_MS),
        before,
        limit,
      ],
      'run',
    );
    return (res as { affectedRows?: number }).affectedRows ?? 0;
  }
}
