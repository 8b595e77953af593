import { type CredentialOrigin } from '../domain/credential-lineage';

/** What created an access token or a session, as the account's lists show it. */
export interface CreatedByView {
  /** Null: not recorded (made before lineage was kept). */
  readonly kind: CredentialOrigin | null;
  /** The parent session or access token, when there is one. */
  readonly parentId: string | null;
  /** One line for people, e.g. "Session (Firefox …)", "Access token …abcd", "orgctl". */
  readonly label: string;
}
