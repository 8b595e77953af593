import { type EntityData } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../domain/ids';
import { escapeLike } from '../domain/text';
import { AuditEvent } from '../entities';
import { type AuditEventRow, type AuditSource } from '../read-models/log-rows';
import { keysetPage } from './keyset';
import { type Page, type PageRequest } from './pagination';
import { type RowReader, Selection, Where, textArray } from './selection';

const ACTOR_KIND_OF: Record<AuditSource, string> = { CONSOLE: 'USER', SCIM: 'SCIM', CLI: 'CLI', SYSTEM: 'SYSTEM' };

export interface AuditFilter {
  types?: string[];
  /** Events by or about this member. */
  memberId?: string;
  /** Events about a person: a member id, or text in the member's email (also a removed member's, as recorded). */
  person?: string;
  /** Events a person did: their member id or account id, or text in their account's or member's email. */
  actor?: string;
  sources?: AuditSource[];
  /** From this time on (inclusive). */
  from?: Date;
  /** Before this time (exclusive). */
  to?: Date;
}

/** The organization's audit trail, filtered, newest first, keyset-paginated. */
export class AuditEventReads {
  constructor(private readonly em: EntityManager) {}

  page(organizationId: string, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEventRow>> {
    const selection = new Selection(this.em, this.reader(), 'audit_event', 'e', whereOf(organizationId, filter));
    return keysetPage(
      selection,
      { sql: 'e.occurred_at', read: (e) => e.occurredAt.toISOString(), descending: true, kind: 'timestamp' },
      page,
    );
  }

  private reader(): RowReader<AuditEventRow> {
    return {
      columns: `e.*,
        coalesce(
          (select u.email from app_user u where u.id = e.actor_user_id),
          (select am.email from member am where am.id = e.actor_member_id and am.organization_id = e.organization_id)
        ) as actor_email,
        case e.target_type
          when 'member' then coalesce((select m.email from member m
            where m.id = e.target_id and m.organization_id = e.organization_id), e.data ->> 'email')
          when 'group' then coalesce((select g.display_name from member_group g
            where g.id = e.target_id and g.organization_id = e.organization_id), e.data ->> 'displayName')
        end as subject_name`,
      read: (row) => {
        const { actor_email, subject_name, ...columns } = row;
        const event = this.em.map(AuditEvent, columns as EntityData<AuditEvent>);
        return {
          id: event.id,
          occurredAt: event.occurredAt,
          event,
          actorEmail: (actor_email as string | null) ?? null,
          subjectName: (subject_name as string | null) ?? null,
        };
      },
    };
  }
}

function whereOf(organizationId: string, filter: AuditFilter): Where {
  const where = new Where('e.organization_id = ?', organizationId);
  if (filter.types?.length) where.and('e.type = any(?::text[])', textArray(filter.types));
  if (filter.memberId) where.and('e.target_id = ? or e.actor_member_id = ?', filter.memberId, filter.memberId);
  if (filter.sources?.length)
    where.and('e.actor_kind = any(?::text[])', textArray(filter.sources.map((s) => ACTOR_KIND_OF[s])));
  if (filter.from) where.and('e.occurred_at >= ?', filter.from);
  if (filter.to) where.and('e.occurred_at < ?', filter.to);
  const person = filter.person?.trim();
  if (person && isUuid(person)) where.and(`e.target_type = 'member' and e.target_id = ?`, person.toLowerCase());
  else if (person) {
    const like = `%${escapeLike(person.toLowerCase())}%`;
    // Members as they are now (by index), or as the event recorded them (a removed member's email).
    where.and(
      `e.target_type = 'member' and (e.target_id in (select m.id from member m where m.organization_id = ?
         and lower(m.email) like ?) or lower(e.data ->> 'email') like ?)`,
      organizationId,
      like,
      like,
    );
  }
  const actor = filter.actor?.trim();
  if (actor && isUuid(actor)) {
    const id = actor.toLowerCase();
    // A member id also names its account: what it did before a member id was recorded with the event. Only what a
    // person did: an event by the CLI or SCIM may name a member too (the owner an operator created), not as actor.
    where.and(
      `e.actor_kind = 'USER' and (e.actor_member_id = ? or e.actor_user_id = ? or e.actor_user_id = (
         select m.user_id from member m where m.id = ? and m.organization_id = ?))`,
      id,
      id,
      id,
      organizationId,
    );
  } else if (actor) {
    const like = `%${escapeLike(actor.toLowerCase())}%`;
    where.and(
      `e.actor_user_id in (select m.user_id from member m where m.organization_id = ? and m.user_id is not null
         and lower(m.email) like ?) or e.actor_user_id in (select u.id from app_user u where lower(u.email) like ?)`,
      organizationId,
      like,
      like,
    );
  }
  return where;
}
