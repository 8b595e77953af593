import { type Actor } from '../domain/actor';
import { invalidInput } from '../domain/errors';
import { type AuditFilter, AuditEventReads } from '../repositories/audit-event-reads';
import { type Page, type PageRequest } from '../repositories/pagination';
import { authorize } from './access';
import { BaseService } from './base';
import { type AuditEventView, auditEventView } from '../read-models/log.view';
import { mapPage } from './page';

export type { AuditFilter };
export type { AuditSource } from '../read-models/log-rows';

/** A date range that ends before it starts is the caller's mistake, not an empty list. */
export function assertAuditFilter(filter: AuditFilter): void {
  if (filter.from && filter.to && filter.from > filter.to) throw invalidInput('"from" must not be after "to"', 'to');
}

/** Reads the audit trail, newest first. */
export class AuditService extends BaseService {
  async list(
    actor: Actor,
    organizationId: string,
    filter: AuditFilter,
    page: PageRequest,
  ): Promise<Page<AuditEventView>> {
    assertAuditFilter(filter);
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'viewEvents');
      return mapPage(await new AuditEventReads(em).page(organizationId, filter, page), auditEventView);
    });
  }
}
