import { type Actor } from '../domain/actor';
import { cappedExpiry, expiryWasCapped } from '../domain/credential-lineage';
import { DomainError, ErrorCode, invalidInput, notFound } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { normalizeEmail } from '../domain/member-rules';
import { type ApiKey, type User } from '../entities';
import { ApiKeyRepository } from '../repositories/api-key.repository';
import { type Transaction, flush } from '../repositories/unit-of-work';
import { UserRepository } from '../repositories/user.repository';
import { recordAccountEvent } from './account-events';
import { BaseService, type ServiceDeps } from './base';
import { type LastUsedStamps } from './last-used-stamps';
import { type CredentialCache, type TokenPrincipal } from './credential-cache';
import { createdByOf, lineageOf, revokeWithDescendants } from './credential-lineage';
import { type AccessTokenView, accessTokenView } from '../read-models/api-key.view';
import { type UserView, userView } from '../read-models/organization.view';
import { generateSecret, hashSecret, sameHash, secretHint, LAST_USED_RESOLUTION_MS } from './secrets';

export interface AccessTokenInput {
  email?: string;
  userId?: string;
  name?: string | null;
  /**
   * After this instant the token is refused; null or absent: until revoked. Never later than the credential the
   * actor authenticated with: a later (or absent) expiry is brought forward to that credential's end.
   */
  expiresAt?: Date | null;
}

/** A new access token: the secret (shown once), its row, and whether its expiry was brought forward to its parent's. */
export interface CreatedAccessToken {
  token: string;
  apiKey: AccessTokenView;
  expiryCapped: boolean;
}

/** Accounts and their access tokens (opaque bearer secrets, stored hashed, revocable, optionally expiring). */
export class TokenService extends BaseService {
  constructor(
    deps: ServiceDeps,
    private readonly cache: CredentialCache,
    private readonly stamps: LastUsedStamps,
  ) {
    super(deps);
  }

  /** Finds or creates the account for an email (operator token creation). */
  async userForEmail(email: string, name?: string | null): Promise<UserView> {
    const normalized = normalizeEmail(email);
    return userView(await this.write((tx) => new UserRepository(tx).findOrCreate(normalized, name ?? null)));
  }

  /**
   * An operator (CLI) creates a token for any account; a user only for itself, as a child of the credential it
   * authenticated with (revoked with it, expiring no later than it).
   */
  async create(actor: Actor, input: AccessTokenInput): Promise<CreatedAccessToken> {
    const expiresAt = validExpiry(input.expiresAt ?? null);
    return this.write(async (tx) => {
      const users = new UserRepository(tx);
      let user: User | null;
      if (actor.kind === 'USER') user = await users.findById(actor.userId);
      else if (actor.kind === 'CLI' || actor.kind === 'SYSTEM') {
        user = input.userId
          ? isUuid(input.userId)
            ? await users.findById(input.userId)
            : null
          : await users.findOrCreate(normalizeEmail(input.email ?? ''), null);
      } else throw new DomainError(ErrorCode.FORBIDDEN, 'SCIM connections cannot create access tokens');
      if (!user) throw notFound('user');
      const { token, apiKey } = await issueAccessToken(tx, actor, user, {
        name: input.name ?? null,
        expiresAt,
        limit: this.deps.config.ACCESS_TOKENS_PER_ACCOUNT,
      });
      const [createdBy] = await createdByOf(tx, user.id, [apiKey]);
      return {
        token,
        apiKey: accessTokenView(apiKey, createdBy),
        expiryCapped: expiryWasCapped(expiresAt, apiKey.expiresAt),
      };
    });
  }

  /** The viewer's live tokens, newest first (at most ACCESS_TOKENS_PER_ACCOUNT of them). */
  async list(actor: Actor): Promise<AccessTokenView[]> {
    if (actor.kind !== 'USER') return [];
    await this.stamps.flush();
    const userId = actor.userId;
    return this.read(async (em) => {
      const keys = await new ApiKeyRepository(em).liveAccessTokens(userId);
      const createdBy = await createdByOf(em, userId, keys);
      return keys.map((k, i) => accessTokenView(k, createdBy[i]));
    });
  }

  /** Revokes a token and everything it created (tokens, sessions, and what those created), in one transaction. */
  async revoke(actor: Actor, tokenId: string): Promise<AccessTokenView> {
    const { view, revokedIds } = await this.write(async (tx) => {
      const key = isUuid(tokenId) ? await new ApiKeyRepository(tx).findAccessToken(tokenId) : null;
      const own =
        key &&
        (actor.kind === 'CLI' || actor.kind === 'SYSTEM' || (actor.kind === 'USER' && key.user?.id === actor.userId));
      if (!key || !own) throw notFound('access token');
      let revokedIds: string[] = [];
      if (!key.revokedAt) {
        const now = new Date();
        revokedIds = await revokeWithDescendants(tx, actor, { tokenIds: [key.id] }, now);
        key.revokedAt = now;
        recordAccountEvent(
          tx,
          key.user!.id,
          'account.token_revoked',
          { tokenId: key.id, name: key.name, hint: key.hint, by: actor.kind },
          actor.requestId,
        );
      }
      const [createdBy] = await createdByOf(tx, key.user!.id, [key]);
      return { view: accessTokenView(key, createdBy), revokedIds };
    });
    // Committed: refused from now on by this instance; the others drop them when the notifications arrive.
    for (const id of revokedIds) this.cache.invalidate({ kind: 'token', tokenId: id });
    return view;
  }

  /** Accounts by id (GraphQL `Member.user` loader); the caller has already read the members that link them. */
  async usersByIds(_actor: Actor, userIds: string[]): Promise<Map<string, UserView>> {
    const wanted = [...new Set(userIds.filter(isUuid))];
    if (!wanted.length) return new Map();
    return this.read(
      async (em) => new Map((await new UserRepository(em).findByIds(wanted)).map((u) => [u.id, userView(u)])),
    );
  }

  /** Who presented this token (GraphQL bearer authentication): `verifyToken`, answered from memory when recent. */
  async authenticate(presented: string): Promise<TokenPrincipal | null> {
    return this.cache.accessToken(presented, () => this.verifyToken(presented));
  }

  /** The account behind a presented token, or null (unknown, revoked or expired). */
  async verify(presented: string): Promise<UserView | null> {
    const user = (await this.verifyKey(presented))?.user;
    return user ? userView(user) : null;
  }

  async verifyToken(presented: string): Promise<TokenPrincipal | null> {
    const key = await this.verifyKey(presented);
    if (!key?.user) return null;
    return { tokenId: key.id, userId: key.user.id, email: key.user.email, expiresAt: key.expiresAt ?? null };
  }

  /** The live token row for a presented secret, its user loaded. Lookup by hash, then a constant-time compare. */
  private async verifyKey(presented: string): Promise<ApiKey | null> {
    if (!presented || presented.length > 200) return null;
    const hash = hashSecret(presented);
    const keys = new ApiKeyRepository(this.em());
    const key = await keys.findAccessTokenByHash(hash);
    if (!key || !key.user || !sameHash(key.hash, hash)) return null;
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) return null;
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) this.stamps.stamp(key.id);
    return key;
  }
}

function validExpiry(expiresAt: Date | null): Date | null {
  if (expiresAt === null) return null;
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime()))
    throw invalidInput('expiresAt is not a valid date-time', 'expiresAt');
  if (expiresAt.getTime() <= Date.now()) throw invalidInput('expiresAt must be in the future', 'expiresAt');
  return expiresAt;
}

/**
 * Issues an access token for `user` and records it on the account, in the caller's transaction. The account's live
 * tokens are capped (`limit`): its row is locked while they are counted, so two creations cannot both pass the cap.
 * The token records what created it (the actor's credential, locked meanwhile) and expires no later than that.
 */
export async function issueAccessToken(
  tx: Transaction,
  actor: Actor,
  user: User,
  opts: { name: string | null; expiresAt?: Date | null; limit: number },
): Promise<{ token: string; apiKey: ApiKey }> {
  await new UserRepository(tx).lock(user.id);
  const lineage = await lineageOf(tx, actor);
  const keys = new ApiKeyRepository(tx);
  const held = await keys.countLiveAccessTokens(user.id);
  if (held >= opts.limit) {
    throw new DomainError(
      ErrorCode.INVALID_STATE,
      `the account already has ${held} access tokens, the most it may hold (ACCESS_TOKENS_PER_ACCOUNT=${opts.limit}); revoke one first`,
    );
  }
  const token = generateSecret('orgd');
  const apiKey = keys.createAccessToken(user, {
    hash: hashSecret(token),
    hint: secretHint(token),
    name: opts.name,
    expiresAt: cappedExpiry(opts.expiresAt ?? null, lineage.parentEndsAt),
    origin: lineage.origin,
    parentTokenId: lineage.parentTokenId,
    parentSessionId: lineage.parentSessionId,
  });
  await flush(tx);
  recordAccountEvent(
    tx,
    user.id,
    'account.token_created',
    {
      tokenId: apiKey.id,
      name: apiKey.name,
      hint: apiKey.hint,
      expiresAt: apiKey.expiresAt?.toISOString() ?? null,
      by: actor.kind,
      origin: lineage.origin,
    },
    actor.requestId,
  );
  return { token, apiKey };
}
