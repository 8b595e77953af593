import { type Actor } from '../domain/actor';
import { type AuditFilter, AuditEventReads } from '../repositories/audit-event-reads';
import { GroupRepository } from '../repositories/group.repository';
import { type MemberFilter, type MemberOrder, MemberRepository } from '../repositories/member.repository';
import { type Page, MAX_PAGE_SIZE } from '../repositories/pagination';
import { authorize } from './access';
import { assertAuditFilter } from './audit.service';
import { BaseService } from './base';
import { type AuditEventView, auditEventView } from '../read-models/log.view';
import { type MemberView } from '../read-models/member.view';

export type { AuditFilter } from '../repositories/audit-event-reads';
export type { AuditSource } from '../read-models/log-rows';
export type { MemberFilter, MemberOrder, MemberOrderField } from '../repositories/member.repository';

/** A member as the export writes it: with the names of its groups when the viewer may see groups. */
export interface ExportedMember {
  readonly member: MemberView;
  readonly groups: string[] | null;
}

/** An export: whose organization it is, and its rows a page at a time (never the whole table in memory). */
export interface Export<Row> {
  readonly organizationName: string;
  readonly pages: AsyncIterable<Row[]>;
}

/**
 * The CSV exports of the member list and the event log: the same filters, order and rights as the lists
 * themselves, read page by page (keyset, one short read per page) while the transport writes each page out.
 * The right is checked before the first row, so a refusal is an error, not an empty file.
 */
export class ExportService extends BaseService {
  async members(
    actor: Actor,
    organizationId: string,
    filter: MemberFilter,
    order: MemberOrder,
  ): Promise<Export<ExportedMember>> {
    const { organizationName, withGroups } = await this.read(async (em) => {
      const access = await authorize(em, actor, organizationId, 'viewMembers');
      return { organizationName: access.organization.name, withGroups: access.capabilities.viewGroups };
    });
    const pages = this.pages((after) =>
      this.read(async (em) => {
        const page = await new MemberRepository(em).page(organizationId, filter, order, {
          first: MAX_PAGE_SIZE,
          after,
        });
        const groups = withGroups
          ? await new GroupRepository(em).groupsOfMembers(
              organizationId,
              page.items.map((m) => m.id),
            )
          : null;
        return {
          page,
          rows: page.items.map((member) => ({
            member,
            groups: groups ? (groups.get(member.id) ?? []).map((g) => g.displayName) : null,
          })),
        };
      }),
    );
    return { organizationName, pages };
  }

  async events(actor: Actor, organizationId: string, filter: AuditFilter): Promise<Export<AuditEventView>> {
    assertAuditFilter(filter);
    const organizationName = await this.read(async (em) => {
      return (await authorize(em, actor, organizationId, 'viewEvents')).organization.name;
    });
    const pages = this.pages((after) =>
      this.read(async (em) => {
        const page = await new AuditEventReads(em).page(organizationId, filter, { first: MAX_PAGE_SIZE, after });
        return { page, rows: page.items.map(auditEventView) };
      }),
    );
    return { organizationName, pages };
  }

  /** Walks a keyset list to its end, one page per read. */
  private async *pages<Item, Row>(
    read: (after: string | undefined) => Promise<{ page: Page<Item>; rows: Row[] }>,
  ): AsyncGenerator<Row[]> {
    let after: string | undefined;
    for (;;) {
      const { page, rows } = await read(after);
      if (rows.length) yield rows;
      if (!page.hasNextPage || !page.items.length) return;
      after = page.cursorOf(page.items[page.items.length - 1]);
    }
  }
}
