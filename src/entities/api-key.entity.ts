import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { CredentialOrigin } from '../domain/credential-lineage';
import { ApiKeyKind } from '../domain/enums';
import { Organization } from './organization.entity';
import { User } from './user.entity';

/** SCIM keys (per organization) and access tokens (per user): only a sha256 hash and a short hint are kept. */
@Entity({ tableName: 'api_key' })
@Index({ name: 'api_key_org_kind_idx', properties: ['organization', 'kind'] })
@Index({ name: 'api_key_user_idx', properties: ['user'] })
@Index({ name: 'api_key_parent_token_idx', properties: ['parentTokenId'] })
@Index({ name: 'api_key_parent_session_idx', properties: ['parentSessionId'] })
export class ApiKey {
  [OptionalProps]?:
    | 'organization'
    | 'user'
    | 'name'
    | 'createdAt'
    | 'lastUsedAt'
    | 'revokedAt'
    | 'expiresAt'
    | 'origin'
    | 'parentTokenId'
    | 'parentSessionId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => ApiKeyKind, type: 'string' })
  kind!: ApiKeyKind;

  @ManyToOne({ entity: () => Organization, nullable: true, deleteRule: 'cascade' })
  organization: Organization | null = null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'cascade' })
  user: User | null = null;

  @Property({ type: 'string', length: 64, unique: 'api_key_hash_unique', hidden: true })
  hash!: string;

  /** Last characters of the key, enough to recognise it in a list. */
  @Property({ type: 'string', length: 16 })
  hint!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  name: string | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;

  /**
   * After this instant verification refuses the key (null = until revoked). An access token's chosen lifetime; on a
   * SCIM key, the end of the overlap a rotation gave the previous key (the current key has none).
   */
  @Property({ type: 'datetime', nullable: true })
  expiresAt: Date | null = null;

  /** Access tokens only: what created the token (null: not recorded). */
  @Enum({ items: () => CredentialOrigin, type: 'string', nullable: true })
  origin: CredentialOrigin | null = null;

  /**
   * The access token that created this one (origin ACCESS_TOKEN). A plain id, not a foreign key: lineage is a
   * record, kept when the parent's row is purged; revoking the parent revokes this token.
   */
  @Property({ type: 'uuid', nullable: true })
  parentTokenId: string | null = null;

  /** The browser session that created this token (origin SESSION); a plain id, like parentTokenId. */
  @Property({ type: 'uuid', nullable: true })
  parentSessionId: string | null = null;
}
