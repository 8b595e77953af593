import { type ApiKey } from '../entities';
import { type CreatedByView } from './created-by.view';

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

/** An account's access token, with what created it. */
export interface AccessTokenView extends ApiKeyView {
  readonly createdBy: CreatedByView;
}

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

export function accessTokenView(k: ApiKey, createdBy: CreatedByView): AccessTokenView {
  return { ...apiKeyView(k), createdBy };
}
