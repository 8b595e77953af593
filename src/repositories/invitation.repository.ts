import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Member } from '../entities';

const INVITING_EVENTS = ['member.invited', 'member.reinvited', 'member.provisioned'];

/** Invitation lookups by the hash of the token the e-mail carried. */
export class InvitationRepository {
  constructor(private readonly em: EntityManager) {}

  /** The member a token hash points at, its organization loaded; locked when it is about to change. */
  findByTokenHash(hash: string, forWrite = false): Promise<Member | null> {
    return this.em.findOne(
      Member,
      { invitationTokenHash: hash },
      { populate: ['organization'], ...(forWrite ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {}) },
    );
  }

  /** Who sent the latest invitation: the inviting account's name or e-mail, or the kind of actor (SCIM, operator). */
  async invitedBy(memberId: string): Promise<{ actorKind: string; name: string | null; email: string | null } | null> {
    const [row] = await this.em.execute<{ actor_kind: string; name: string | null; email: string | null }[]>(
      `select a.actor_kind, u.name, u.email from audit_event a left join app_user u on u.id = a.actor_user_id
        where a.target_id = ? and a.type in (?, ?, ?) order by a.occurred_at desc, a.id desc limit 1`,
      [memberId, ...INVITING_EVENTS],
    );
    return row ? { actorKind: row.actor_kind, name: row.name, email: row.email } : null;
  }
}
