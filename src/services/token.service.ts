import { EntityManager } from '@mikro-orm/postgresql';
import { Actor } from '../domain/actor';
import { ApiKeyKind } from '../domain/enums';
import { DomainError, ErrorCode, notFound } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { normalizeEmail } from '../domain/member-rules';
import { ApiKey, User } from '../entities';
import { BaseService } from './base';
import { generateSecret, hashSecret, sameHash, secretHint, LAST_USED_RESOLUTION_MS } from './secrets';
import { escapeLike } from '../domain/text';

/** Accounts and their access tokens (opaque bearer secrets, stored hashed, revocable). */
export class TokenService extends BaseService {
  /** Finds or creates the account for an email (operator token creation, first OIDC login). */
  async userForEmail(email: string, name?: string | null): Promise<User> {
    const normalized = normalizeEmail(email);
    return this.write((tx) => findOrCreateUser(tx, normalized, name ?? null));
  }

  /** An operator (CLI) creates a token for any account; a user only for itself. */
  async create(actor: Actor, input: { email?: string; userId?: string; name?: string | null }): Promise<{ token: string; apiKey: ApiKey }> {
    return this.write(async (tx) => {
      let user: User | null;
      if (actor.kind === 'USER') user = await tx.findOne(User, actor.userId);
      else if (actor.kind === 'CLI' || actor.kind === 'SYSTEM') {
        user = input.userId ? await tx.findOne(User, input.userId) : await findOrCreateUser(tx, normalizeEmail(input.email ?? ''), null);
      } else throw new DomainError(ErrorCode.FORBIDDEN, 'SCIM connections cannot create access tokens');
      if (!user) throw notFound('user');
      return issueAccessToken(tx, user, input.name ?? null);
    });
  }

  async list(actor: Actor): Promise<ApiKey[]> {
    if (actor.kind !== 'USER') return [];
    return this.read((em) => em.find(ApiKey, { user: actor.userId, kind: ApiKeyKind.ACCESS_TOKEN, revokedAt: null }, { orderBy: { createdAt: 'desc' } }));
  }

  async revoke(actor: Actor, tokenId: string): Promise<ApiKey> {
    return this.write(async (tx) => {
      const key = isUuid(tokenId) ? await tx.findOne(ApiKey, { id: tokenId, kind: ApiKeyKind.ACCESS_TOKEN }) : null;
      const own = key && (actor.kind === 'CLI' || actor.kind === 'SYSTEM' || (actor.kind === 'USER' && key.user?.id === actor.userId));
      if (!key || !own) throw notFound('access token');
      key.revokedAt ??= new Date();
      return key;
    });
  }

  /** Accounts by id (GraphQL `Member.user` loader); the caller has already read the members that link them. */
  async usersByIds(_actor: Actor, userIds: string[]): Promise<Map<string, User>> {
    const wanted = [...new Set(userIds.filter(isUuid))];
    if (!wanted.length) return new Map();
    return this.read(async (em) => new Map((await em.find(User, { id: { $in: wanted } })).map((u) => [u.id, u])));
  }

  /** The account behind a presented token, or null. Lookup by hash, then a constant-time compare. */
  async verify(presented: string): Promise<User | null> {
    if (!presented || presented.length > 200) return null;
    const hash = hashSecret(presented);
    const em = this.em();
    const key = await em.findOne(ApiKey, { hash, kind: ApiKeyKind.ACCESS_TOKEN, revokedAt: null }, { populate: ['user'] });
    if (!key || !key.user || !sameHash(key.hash, hash)) return null;
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await em.nativeUpdate(ApiKey, { id: key.id }, { lastUsedAt: new Date() });
    }
    return key.user;
  }
}

export async function findOrCreateUser(tx: EntityManager, email: string, name: string | null): Promise<User> {
  const existing = await tx.findOne(User, { email: { $ilike: escapeLike(email) } });
  if (existing) return existing;
  const user = tx.create(User, { email, name });
  await tx.flush();
  return user;
}

export async function issueAccessToken(tx: EntityManager, user: User, name: string | null): Promise<{ token: string; apiKey: ApiKey }> {
  const token = generateSecret('orgd');
  const apiKey = tx.create(ApiKey, { kind: ApiKeyKind.ACCESS_TOKEN, user, hash: hashSecret(token), hint: secretHint(token), name });
  await tx.flush();
  return { token, apiKey };
}
