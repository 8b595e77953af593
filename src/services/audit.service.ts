import { Actor } from '../domain/actor';
import { AuditEvent } from '../entities';
import { keysetPage } from '../repositories/keyset';
import { Page, PageRequest } from '../repositories/pagination';
import { requireCapability } from './access';
import { BaseService } from './base';

export interface AuditFilter {
  types?: string[];
  /** Events by or about this member. */
  memberId?: string;
}

/** Reads the audit trail, newest first. */
export class AuditService extends BaseService {
  async list(actor: Actor, organizationId: string, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEvent>> {
    return this.read(async (em) => {
      await requireCapability(em, actor, organizationId, 'viewEvents');
      const qb = em.createQueryBuilder(AuditEvent, 'e').where({ organization: organizationId });
      if (filter.types?.length) qb.andWhere({ type: { $in: filter.types } });
      if (filter.memberId) qb.andWhere({ $or: [{ targetId: filter.memberId }, { actorMemberId: filter.memberId }] });
      return keysetPage(qb, 'e', { sql: 'e.occurred_at', read: (e) => e.occurredAt.toISOString(), descending: true }, page);
    });
  }
}
