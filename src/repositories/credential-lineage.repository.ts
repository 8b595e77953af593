import { type EntityManager } from '@mikro-orm/postgresql';
import { textArray } from './selection';

/** An access token revoked because an ancestor was. */
export interface RevokedToken {
  id: string;
  userId: string;
  name: string | null;
  hint: string;
}

/** What one revocation ended: the roots and everything they created, transitively (only rows not revoked before). */
export interface RevokedTrees {
  tokens: RevokedToken[];
  sessionIds: string[];
}

/**
 * One pass: the trees under the roots (tokens made by a token or a session, sessions opened with a token), every
 * row not yet revoked revoked at `at`. The recursive term joins both tables through one lateral union, since a
 * recursive CTE may name itself only once.
 */
const REVOKE_TREES = `
with recursive tree(token_id, session_id) as (
  select r.id, null::uuid from unnest(?::uuid[]) as r(id)
  union all
  select null::uuid, r.id from unnest(?::uuid[]) as r(id)
  union
  select c.token_id, c.session_id from tree t cross join lateral (
    select k.id as token_id, null::uuid as session_id from api_key k
     where k.kind = 'ACCESS_TOKEN' and (k.parent_token_id = t.token_id or k.parent_session_id = t.session_id)
    union all
    select null::uuid, s.id from session s where s.parent_token_id = t.token_id
  ) c
),
revoked_tokens as (
  update api_key k set revoked_at = ?
   where k.id in (select token_id from tree where token_id is not null) and k.revoked_at is null
  returning k.id, k.user_id, k.name, k.hint
),
revoked_sessions as (
  update session s set revoked_at = ?
   where s.id in (select session_id from tree where session_id is not null) and s.revoked_at is null
  returning s.id
)
select 'token' as kind, id, user_id, name, hint from revoked_tokens
union all
select 'session', id, null, null, null from revoked_sessions`;

/** The lineage of access tokens and sessions across both tables. */
export class CredentialLineageRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Revokes the roots and all they created, transitively, in the caller's transaction. Passes repeat until one
   * revokes nothing: a credential created concurrently under a row this revocation is about to lock holds that row
   * (its creation locks its parent FOR SHARE), so the update waits for it to commit, and the next pass, a new
   * statement, sees it. A creation that comes after the lock finds its parent revoked and is refused.
   */
  async revokeTrees(roots: { tokenIds: string[]; sessionIds: string[] }, at: Date): Promise<RevokedTrees> {
    const revoked: RevokedTrees = { tokens: [], sessionIds: [] };
    if (!roots.tokenIds.length && !roots.sessionIds.length) return revoked;
    for (;;) {
      const rows = await this.em.execute<
        { kind: string; id: string; user_id: string | null; name: string | null; hint: string | null }[]
      >(REVOKE_TREES, [textArray(roots.tokenIds), textArray(roots.sessionIds), at, at]);
      if (!rows.length) return revoked;
      for (const row of rows) {
        if (row.kind === 'session') revoked.sessionIds.push(row.id);
        else revoked.tokens.push({ id: row.id, userId: row.user_id!, name: row.name, hint: row.hint! });
      }
    }
  }
}
