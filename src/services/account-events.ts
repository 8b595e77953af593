import { LogRepository } from '../repositories/log.repository';
import { type Transaction } from '../repositories/unit-of-work';

/** The account event types; details never hold a secret. */
export type AccountEventType =
  | 'account.token_created'
  | 'account.token_revoked'
  | 'account.signed_in'
  | 'account.sessions_revoked'
  | 'account.oidc_linked';

/** Records an event on the account in the caller's transaction: it commits or rolls back with the change. */
export function recordAccountEvent(
  tx: Transaction,
  userId: string,
  type: AccountEventType | (string & {}),
  details: Record<string, unknown> | null,
  requestId?: string | null,
): void {
  new LogRepository(tx).addAccountEvent({
    userId,
    type,
    details,
    requestId: requestId ? requestId.slice(0, 100) : null,
    createdAt: new Date(),
  });
}
