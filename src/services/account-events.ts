import { type Transaction } from '../repositories/unit-of-work';
import { AccountEvent, User } from '../entities';

/** The account event types; details never hold a secret. */
export type AccountEventType =
  'account.token_created' | 'account.token_revoked' | 'account.signed_in' | 'account.oidc_linked';

/** Persists an event on the account in the caller's transaction: it commits or rolls back with the change. */
export function recordAccountEvent(
  tx: Transaction,
  userId: string,
  type: AccountEventType | (string & {}),
  details: Record<string, unknown> | null,
  requestId?: string | null,
): AccountEvent {
  const event = tx.create(AccountEvent, {
    user: tx.getReference(User, userId),
    type,
    details,
    requestId: requestId ? requestId.slice(0, 100) : null,
    createdAt: new Date(),
  });
  tx.persist(event);
  return event;
}
