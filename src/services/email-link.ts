import { type User } from '../entities';
import { OutboxRepository } from '../repositories/outbox.repository';
import { SignInLinkRepository } from '../repositories/sign-in-link.repository';
import { type Transaction } from '../repositories/unit-of-work';
import { generateSecret, hashSecret } from './secrets';

export const EMAIL_LINK_TTL_MINUTES = 15;
/** Unused, unexpired links one account may have at once; further requests send nothing (and still answer 202). */
export const EMAIL_LINKS_OUTSTANDING_MAX = 3;

/**
 * Stores a new sign-in link (hashed) and queues its e-mail in the same transaction. `returnTo` (a path of this
 * site, see safeReturnTo) is where the link's page goes once signed in, e.g. back to an invitation.
 */
export function issueSignInLink(
  tx: Transaction,
  publicUrl: string,
  user: User,
  now = new Date(),
  returnTo = '/',
): string {
  const token = generateSecret('sil');
  new SignInLinkRepository(tx).create(
    user,
    hashSecret(token),
    new Date(now.getTime() + EMAIL_LINK_TTL_MINUTES * 60_000),
  );
  const back = returnTo === '/' ? '' : `&returnTo=${encodeURIComponent(returnTo)}`;
  const link = `${publicUrl}/sign-in/link?token=${encodeURIComponent(token)}${back}`;
  new OutboxRepository(tx).enqueue({
    kind: 'SIGN_IN_LINK',
    recipient: user.email,
    mail: {
      subject: 'Your orgd sign-in link',
      text:
        `Sign in to orgd: ${link}\n\n` +
        `The link works once and expires in ${EMAIL_LINK_TTL_MINUTES} minutes.\n` +
        `If you did not ask to sign in, ignore this e-mail: nobody can sign in without the link.`,
    },
  });
  return token;
}
