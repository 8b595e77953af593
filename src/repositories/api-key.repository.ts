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
  hint: string;
  lastUsedAt: Date | null;
  /** Null for the current key; the end of its overlap for the previous key of a rotation. */
  expiresAt: Date | null;
  provider: string;
}

/**
 * An organization has one current SCIM key (no expiry) and, for a while after a rotation with an overlap, its
 * previous key (an expiry in the future). A key past its expiry is refused, and deleted at the next rotation.
 */
const currentScimKey = (organizationId: string) => ({
  organization: organizationId,
  kind: ApiKeyKind.SCIM,
  revokedAt: null,
  expiresAt: null,
});

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

  /** The SCIM keys of the organization that work at `now`, when its SCIM is enabled; one indexed query. */
  async scimKeyCandidates(organizationId: string, now = new Date()): Promise<ScimKeyCandidate[]> {
    const rows = await this.em.execute<
      {
        id: string;
        hash: string;
        hint: string;
        last_used_at: Date | null;
        expires_at: Date | null;
        provider: string;
      }[]
    >(
      `select k.id, k.hash, k.hint, k.last_used_at, k.expires_at, s.provider
         from api_key k join scim_settings s on s.organization_id = k.organization_id
        where k.organization_id = ? and k.kind = 'SCIM' and k.revoked_at is null
          and (k.expires_at is null or k.expires_at > ?) and s.enabled`,
      [organizationId, now],
    );
    return rows.map((row) => ({
      id: row.id,
      hash: row.hash,
      hint: row.hint,
      lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
      expiresAt: row.expires_at ? new Date(row.expires_at) : null,
      provider: row.provider,
    }));
  }

  currentScimKey(organizationId: string): Promise<ApiKey | null> {
    return this.em.findOne(ApiKey, currentScimKey(organizationId));
  }

  /** The key a rotation left working until its expiry, while that lasts. */
  previousScimKey(organizationId: string, now = new Date()): Promise<ApiKey | null> {
    return this.em.findOne(
      ApiKey,
      { organization: organizationId, kind: ApiKeyKind.SCIM, revokedAt: null, expiresAt: { $gt: now } },
      { orderBy: { expiresAt: 'desc' } },
    );
  }

  async hasScimKey(organizationId: string): Promise<boolean> {
    return (await this.em.count(ApiKey, currentScimKey(organizationId))) > 0;
  }

  async deleteScimKeys(organizationId: string): Promise<void> {
    await this.em.nativeDelete(ApiKey, { organization: organizationId, kind: ApiKeyKind.SCIM });
  }

  /** Deletes every key of the organization but the current one (the previous key, and expired ones); how many. */
  deleteRetiredScimKeys(organizationId: string): Promise<number> {
    return this.em.nativeDelete(ApiKey, {
      organization: organizationId,
      kind: ApiKeyKind.SCIM,
      $or: [{ expiresAt: { $ne: null } }, { revokedAt: { $ne: null } }],
    });
  }

  /** The current key becomes the previous one: it works until `until`, beside the key issued next. */
  async retireCurrentScimKey(organizationId: string, until: Date): Promise<void> {
    await this.em.nativeUpdate(ApiKey, currentScimKey(organizationId), { expiresAt: until });
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
