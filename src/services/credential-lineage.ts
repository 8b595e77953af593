import { type Actor } from '../domain/actor';
import { CredentialOrigin, type Lineage, originLabel } from '../domain/credential-lineage';
import { unauthenticated } from '../domain/errors';
import { isSessionLive, sessionHardEnd } from '../domain/session-rules';
import { ApiKeyRepository } from '../repositories/api-key.repository';
import { notifyCredentialChange } from '../repositories/change-notifications';
import { CredentialLineageRepository } from '../repositories/credential-lineage.repository';
import { SessionRepository } from '../repositories/session.repository';
import { type Transaction } from '../repositories/unit-of-work';
import { recordAccountEvent } from './account-events';
import { type CreatedByView } from '../read-models/created-by.view';

const ROOT = (origin: CredentialOrigin | null): Lineage => ({
  origin,
  parentTokenId: null,
  parentSessionId: null,
  parentEndsAt: null,
});

/**
 * The lineage of a credential `actor` creates now, in the caller's transaction: its origin, its parent (the
 * credential that authenticated the actor, locked FOR SHARE so a concurrent revocation cannot miss the child) and
 * the end that parent allows. A parent revoked or expired meanwhile is refused (UNAUTHENTICATED).
 */
export async function lineageOf(tx: Transaction, actor: Actor, now = new Date()): Promise<Lineage> {
  if (actor.kind === 'CLI') return ROOT(CredentialOrigin.CLI);
  if (actor.kind !== 'USER' || !actor.credential) return ROOT(null);
  const credential = actor.credential;
  switch (credential.kind) {
    case CredentialOrigin.OIDC:
      return { ...ROOT(CredentialOrigin.OIDC), parentEndsAt: credential.expiresAt };
    case CredentialOrigin.ACCESS_TOKEN: {
      const parent = await new ApiKeyRepository(tx).lockLiveAccessToken(credential.id, actor.userId, now);
      if (!parent) throw parentGone();
      return {
        origin: CredentialOrigin.ACCESS_TOKEN,
        parentTokenId: credential.id,
        parentSessionId: null,
        parentEndsAt: parent.expiresAt,
      };
    }
    case CredentialOrigin.SESSION: {
      const parent = await new SessionRepository(tx).lockOwn(actor.userId, credential.id);
      if (!parent || !isSessionLive(parent, now)) throw parentGone();
      return {
        origin: CredentialOrigin.SESSION,
        parentTokenId: null,
        parentSessionId: credential.id,
        parentEndsAt: sessionHardEnd(parent),
      };
    }
  }
}

const parentGone = () => unauthenticated('the credential of this request was revoked or has expired');

/**
 * Revokes the roots and everything they created, transitively, in the caller's transaction; announces every
 * revoked token to the other instances (on commit) and records each token revoked through an ancestor on its
 * account. Returns the ids of the revoked tokens: the caller drops them from this instance's credential cache once
 * the transaction has committed.
 */
export async function revokeWithDescendants(
  tx: Transaction,
  actor: Actor,
  roots: { tokenIds?: string[]; sessionIds?: string[] },
  now = new Date(),
): Promise<string[]> {
  const tokenIds = roots.tokenIds ?? [];
  const revoked = await new CredentialLineageRepository(tx).revokeTrees(
    { tokenIds, sessionIds: roots.sessionIds ?? [] },
    now,
  );
  const cause = tokenIds.length ? { token: tokenIds[0] } : { session: roots.sessionIds?.[0] };
  for (const token of revoked.tokens) {
    await notifyCredentialChange(tx, { kind: 'token', tokenId: token.id });
    if (tokenIds.includes(token.id)) continue;
    recordAccountEvent(
      tx,
      token.userId,
      'account.token_revoked',
      { tokenId: token.id, name: token.name, hint: token.hint, by: actor.kind, revokedWith: cause },
      actor.requestId,
    );
  }
  return revoked.tokens.map((t) => t.id);
}

/** What created each of the account's credentials, as its lists show it (one query per parent table). */
export async function createdByOf(
  em: Transaction,
  userId: string,
  credentials: readonly {
    origin: CredentialOrigin | null;
    parentTokenId: string | null;
    parentSessionId: string | null;
  }[],
): Promise<CreatedByView[]> {
  const tokenIds = [...new Set(credentials.flatMap((c) => (c.parentTokenId ? [c.parentTokenId] : [])))];
  const sessionIds = [...new Set(credentials.flatMap((c) => (c.parentSessionId ? [c.parentSessionId] : [])))];
  const tokens = await new ApiKeyRepository(em).accessTokenSummaries(userId, tokenIds);
  const sessions = await new SessionRepository(em).userAgents(userId, sessionIds);
  return credentials.map((c) => {
    const parentId = c.parentTokenId ?? c.parentSessionId;
    const parent = c.parentTokenId
      ? (tokens.get(c.parentTokenId) ?? null)
      : c.parentSessionId && sessions.has(c.parentSessionId)
        ? { userAgent: sessions.get(c.parentSessionId) ?? null }
        : null;
    return { kind: c.origin, parentId, label: originLabel(c.origin, parent) };
  });
}
