import { type Actor } from '../domain/actor';
import { type AuditFilter, LogRepository } from '../repositories/log.repository';
import { type Page, type PageRequest } from '../repositories/pagination';
import { authorize } from './access';
import { BaseService } from './base';
import { type AuditEventView, auditEventView } from '../read-models/log.view';
import { mapPage } from './page';

export type { AuditFilter };

/** Reads the audit trail, newest first. */
export class AuditService extends BaseService {
  async list(
    actor: Actor,
    organizationId: string,
    filter: AuditFilter,
    page: PageRequest,
  ): Promise<Page<AuditEventView>> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'viewEvents');
      return mapPage(await new LogRepository(em).auditPage(organizationId, filter, page), auditEventView);
    });
  }
}
