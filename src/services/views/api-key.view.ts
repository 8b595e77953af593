import { type ApiKey } from '../../entities';

/** An access token or SCIM key as it may be shown: never the secret or its hash, only the hint. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string | null;
  readonly hint: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly expiresAt: Date | null;
}

/** An account's access token. */
export type AccessTokenView = ApiKeyView;

export function apiKeyView(k: ApiKey): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    hint: k.hint,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
    expiresAt: k.expiresAt,
  };
}
