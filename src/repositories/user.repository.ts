import { type EntityManager } from '@mikro-orm/postgresql';
import { uuidArray } from '../domain/ids';
import { User } from '../entities';
import { FOR_WRITE, selectOne } from './selection';

/**
 * Accounts. E-mail equality is spelled once, `lower(email) = lower(?)`, the expression the unique index
 * `app_user_email_lower_unique` is built on, so the look-up is an index probe.
 */
export class UserRepository {
  constructor(private readonly em: EntityManager) {}

  findById(id: string): Promise<User | null> {
    return selectOne(this.em, User, 'select * from app_user where id = ?', [id]);
  }

  async findByIds(ids: string[]): Promise<User[]> {
    if (!ids.length) return [];
    const rows = await this.em.execute<Record<string, unknown>[]>('select * from app_user where id = any(?::uuid[])', [
      uuidArray(ids),
    ]);
    return rows.map((row) => this.em.map(User, row));
  }

  /** The account with this e-mail address, compared case-insensitively; row-locked when `forWrite`. */
  findByEmail(email: string, forWrite = false): Promise<User | null> {
    return selectOne(
      this.em,
      User,
      `select * from app_user where lower(email) = lower(?)${forWrite ? FOR_WRITE : ''}`,
      [email],
    );
  }

  /** The account bound to this OIDC identity (issuer, subject). */
  findByOidcSubject(issuer: string, subject: string): Promise<User | null> {
    return selectOne(this.em, User, 'select * from app_user where oidc_issuer = ? and oidc_subject = ?', [
      issuer,
      subject,
    ]);
  }

  /** Finds the account for an e-mail address or creates it (written at once, in the caller's transaction). */
  async findOrCreate(email: string, name: string | null): Promise<User> {
    const existing = await this.findByEmail(email);
    if (existing) return existing;
    const user = this.em.create(User, { email, name });
    await this.em.flush();
    return user;
  }

  /** A new account, written with the transaction's next flush. */
  create(email: string, name: string | null): User {
    return this.em.create(User, { email, name });
  }

  /** A handle on the account by id, without reading it (to link a row to it). */
  reference(id: string): User {
    return this.em.getReference(User, id);
  }

  /** Holds the account's row until the transaction ends: serializes the checks that count its rows. */
  async lock(id: string): Promise<void> {
    await this.em.execute(`select id from app_user where id = ?${FOR_WRITE}`, [id]);
  }
}
