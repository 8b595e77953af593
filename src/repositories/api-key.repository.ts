import { type EntityManager } from '@mikro-orm/postgresql';
import { type CredentialOrigin } from '../domain/credential-lineage';
import { ApiKeyKind } from '../domain/enums';
import { ApiKey, type Organization, type User } from '../entities';
import { textArray } from './selection';

/** Live tokens: not revoked and not expired. */
const live = (now: Date) => ({ revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] });

/** A SCIM key of an organization whose SCIM is enabled, with the provider it configured (key verification). */
export interface ScimKeyCandidate {
  id: string;
  hash: string;
  lastUsedAt: Date | null;
  provider: string;
}

/** Access tokens (per account) and SCIM keys (per organization); only hashes are stored. */
export class ApiKeyRepository {
  constructor(private readonly em: EntityManager) {}

  // Access tokens

  /** The account's live tokens, newest first. */
  liveAccessTokens(userId: string, now = new Date()): Promise<ApiKey[]> {
    return this.em.find(
      ApiKey,
      { user: userId, kind: ApiKeyKind.ACCESS_TOKEN, ...live(now) },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
  }

  countLiveAccessTokens(userId: string, now = new Date()): Promise<number> {
    return this.em.count(ApiKey, { user: userId, kind: ApiKeyKind.ACCESS_TOKEN, ...live(now) });
  }

  findAccessToken(id: string): Promise<ApiKey | null> {
    return this.em.findOne(ApiKey, { id, kind: ApiKeyKind.ACCESS_TOKEN });
  }

  /** The unrevoked access token with this hash, its account loaded. */
  findAccessTokenByHash(hash: string): Promise<ApiKey | null> {
    return this.em.findOne(ApiKey, { hash, kind: ApiKeyKind.ACCESS_TOKEN, revokedAt: null }, { populate: ['user'] });
  }

  /** A new access token (written with the transaction's next flush). */
  createAccessToken(
    user: User,
    fields: {
      hash: string;
      hint: string;
      name: string | null;
      expiresAt: Date | null;
      origin: CredentialOrigin | null;
      parentTokenId: string | null;
      parentSessionId: string | null;
    },
  ): ApiKey {
    return this.em.create(ApiKey, { kind: ApiKeyKind.ACCESS_TOKEN, user, ...fields });
  }

  /**
   * The account's access token `id` when it is live, locked FOR SHARE until the transaction ends: a credential
   * created under it then cannot miss its revocation (see CredentialLineageRepository.revokeTrees).
   */
  async lockLiveAccessToken(id: string, userId: string, now = new Date()): Promise<{ expiresAt: Date | null } | null> {
    const [row] = await this.em.execute<{ expires_at: Date | null }[]>(
      `select expires_at from api_key
        where id = ? and user_id = ? and kind = 'ACCESS_TOKEN' and revoked_at is null
          and (expires_at is null or expires_at > ?)
        for share`,
      [id, userId, now],
    );
    return row ? { expiresAt: row.expires_at ? new Date(row.expires_at) : null } : null;
  }

  /** What the account's lists show of these tokens as parents: their label and hint (purged ones are absent). */
  async accessTokenSummaries(
    userId: string,
    ids: string[],
  ): Promise<Map<string, { name: string | null; hint: string }>> {
    if (!ids.length) return new Map();
    const rows = await this.em.execute<{ id: string; name: string | null; hint: string }[]>(
      `select id, name, hint from api_key where id = any(?::uuid[]) and user_id = ? and kind = 'ACCESS_TOKEN'`,
      [textArray(ids), userId],
    );
    return new Map(rows.map((r) => [r.id, { name: r.name, hint: r.hint }]));
  }

  // SCIM keys

  /** The unrevoked SCIM keys of the organization, when its SCIM is enabled; one indexed query. */
  async scimKeyCandidates(organizationId: string): Promise<ScimKeyCandidate[]> {
    const rows = await this.em.execute<{ id: string; hash: string; last_used_at: Date | null; provider: string }[]>(
      `select k.id, k.hash, k.last_used_at, s.provider from api_key k join scim_settings s on s.organization_id = k.organization_id
       where k.organization_id = ? and k.kind = 'SCIM' and k.revoked_at is null and s.enabled`,
      [organizationId],
    );
    return rows.map((row) => ({
      id: row.id,
      hash: row.hash,
      lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
      provider: row.provider,
    }));
  }

  currentScimKey(organizationId: string): Promise<ApiKey | null> {
    return this.em.findOne(ApiKey, { organization: organizationId, kind: ApiKeyKind.SCIM, revokedAt: null });
  }

  async hasScimKey(organizationId: string): Promise<boolean> {
    return (await this.em.count(ApiKey, { organization: organizationId, kind: ApiKeyKind.SCIM, revokedAt: null })) > 0;
  }

  async deleteScimKeys(organizationId: string): Promise<void> {
    await this.em.nativeDelete(ApiKey, { organization: organizationId, kind: ApiKeyKind.SCIM });
  }

  /** A new SCIM key (written with the transaction's next flush). */
  createScimKey(organization: Organization, fields: { hash: string; hint: string; name: string }): ApiKey {
    const key = this.em.create(ApiKey, { kind: ApiKeyKind.SCIM, organization, ...fields });
    this.em.persist(key);
    return key;
  }

  // Both

  /** Many keys' last use in one statement; a stamp never moves a key's time backwards. */
  async stampLastUsedMany(stamps: [id: string, at: Date][]): Promise<void> {
    await this.em.execute(
      `update api_key k set last_used_at = v.at
         from (select unnest(?::uuid[]) as id, unnest(?::timestamptz[]) as at) v
        where k.id = v.id and (k.last_used_at is null or k.last_used_at < v.at)`,
      [textArray(stamps.map(([id]) => id)), textArray(stamps.map(([, at]) => at.toISOString()))],
    );
  }
}
