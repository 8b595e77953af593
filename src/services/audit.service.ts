import { type Actor } from '../domain/actor';
import { invalidInput } from '../domain/errors';
import { type AuditFilter, AuditEventReads } from '../repositories/audit-event-reads';
import { type Page, type PageRequest } from '../repositories/pagination';
import { requireCapability } from './access';
import { BaseService } from './base';
import { type AuditEventView, auditEventView } from './views/log.view';
import { mapPage } from './views/page';

export type { AuditFilter };
export type { AuditSource } from '../repositories/audit-event-reads';

/** Reads the audit trail, newest first. */
export class AuditService extends BaseService {
  async list(
    actor: Actor,
    organizationId: string,
    filter: AuditFilter,
    page: PageRequest,
  ): Promise<Page<AuditEventView>> {
    if (filter.from && filter.to && filter.from > filter.to) throw invalidInput('"from" must not be after "to"', 'to');
    return this.read(async (em) => {
      await requireCapability(em, actor, organizationId, 'viewEvents');
      return mapPage(await new AuditEventReads(em).page(organizationId, filter, page), auditEventView);
    });
  }
}
