import { randomUUID } from 'node:crypto';
import { type EntityManager } from '@mikro-orm/postgresql';
import {
  HeldDeprovisioningAction,
  HeldDeprovisioningStatus,
  SAFEGUARD_DEFAULTS,
  type SafeguardSettings,
} from '../domain/deprovisioning-safeguard';
import { MemberRole, MemberStatus } from '../domain/enums';
import { uuidArray } from '../domain/ids';
import { type HeldDeprovisioningView } from '../read-models/held-deprovisioning.view';
import { keysetPage } from './keyset';
import { type Page, type PageRequest } from './pagination';
import { Selection, Where } from './selection';

export interface NewHold {
  organizationId: string;
  memberId: string;
  memberEmail: string;
  action: HeldDeprovisioningAction;
  requestId: string | null;
  clientRequestId: string | null;
  apiKeyHint: string | null;
}

interface HeldRow {
  id: string;
  member_id: string | null;
  member_email: string;
  member_display_name: string | null;
  member_role: MemberRole | null;
  action: HeldDeprovisioningAction;
  status: HeldDeprovisioningStatus;
  requested_at: Date | string;
  request_id: string | null;
  client_request_id: string | null;
  api_key_hint: string | null;
}

const heldView = (row: HeldRow): HeldDeprovisioningView => ({
  id: row.id,
  memberId: row.member_id,
  memberEmail: row.member_email,
  memberDisplayName: row.member_display_name,
  memberRole: row.member_role,
  action: row.action,
  status: row.status,
  requestedAt: new Date(row.requested_at),
  requestId: row.request_id,
  clientRequestId: row.client_request_id,
  apiKeyHint: row.api_key_hint,
});

const HELD_COLUMNS = `h.id, h.organization_id, h.member_id, h.action, h.status, h.requested_at, h.request_id,
  h.client_request_id, h.api_key_hint, coalesce(m.email, h.member_email) as member_email,
  coalesce(m.display_name, m.formatted_name) as member_display_name, m.role as member_role`;
const HELD_FROM = 'held_deprovisioning h left join member m on m.id = h.member_id';

/** The deprovisioning safeguard's settings, counts and held deprovisionings. */
export class HeldDeprovisioningRepository {
  constructor(private readonly em: EntityManager) {}

  async settings(organizationId: string): Promise<SafeguardSettings> {
    const [row] = await this.em.execute<{ enabled: boolean; threshold: number; window_minutes: number }[]>(
      `select deprovisioning_safeguard_enabled as enabled, deprovisioning_threshold as threshold,
              deprovisioning_window_minutes as window_minutes
         from scim_settings where organization_id = ?`,
      [organizationId],
    );
    return row
      ? { enabled: row.enabled, threshold: Number(row.threshold), windowMinutes: Number(row.window_minutes) }
      : { ...SAFEGUARD_DEFAULTS };
  }

  /**
   * The SCIM deprovisionings that applied in the last `windowMinutes`, from the audit trail: the predicate is the
   * partial index audit_event_scim_deprovisioning_idx's own, so this is one index range count.
   */
  async appliedScimDeprovisionings(organizationId: string, windowMinutes: number): Promise<number> {
    const [row] = await this.em.execute<{ count: string | number }[]>(
      `select count(*) as count from audit_event
        where organization_id = ? and occurred_at > now() - (? * interval '1 minute')
          and actor_kind = 'SCIM' and (type = 'member.removed' or type = 'member.revoked' or (type = 'member.updated' and data ->> 'to' = 'REVOKED'))`,
      [organizationId, windowMinutes],
    );
    return Number(row?.count ?? 0);
  }

  async heldCount(organizationId: string): Promise<number> {
    const [row] = await this.em.execute<{ count: string | number }[]>(
      `select count(*) as count from held_deprovisioning where organization_id = ? and status = ?`,
      [organizationId, HeldDeprovisioningStatus.HELD],
    );
    return Number(row?.count ?? 0);
  }

  /**
   * Holds a deprovisioning; the same one already held for the member (a resend) is kept instead of a second row.
   * Returns the hold's id and whether this call created it.
   */
  async hold(hold: NewHold): Promise<{ id: string; created: boolean }> {
    const inserted = await this.em.execute<{ id: string }[]>(
      `insert into held_deprovisioning
         (id, organization_id, member_id, member_email, action, request_id, client_request_id, api_key_hint)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (member_id, action) where status = 'HELD' do nothing returning id`,
      [
        randomUUID(),
        hold.organizationId,
        hold.memberId,
        hold.memberEmail,
        hold.action,
        hold.requestId,
        hold.clientRequestId,
        hold.apiKeyHint,
      ],
    );
    if (inserted.length) return { id: inserted[0].id, created: true };
    const [existing] = await this.em.execute<{ id: string }[]>(
      `select id from held_deprovisioning where member_id = ? and action = ? and status = 'HELD'`,
      [hold.memberId, hold.action],
    );
    return { id: existing.id, created: false };
  }

  /** The organization's held deprovisionings, oldest first (the order they arrived in, and are applied in). */
  page(organizationId: string, page: PageRequest): Promise<Page<HeldDeprovisioningView>> {
    const selection = new Selection<HeldDeprovisioningView>(
      this.em,
      { columns: 'h.*', read: (row) => heldView(row as unknown as HeldRow) },
      `(select ${HELD_COLUMNS} from ${HELD_FROM})`,
      'h',
      new Where('h.organization_id = ? and h.status = ?', organizationId, HeldDeprovisioningStatus.HELD),
    );
    return keysetPage(
      selection,
      { sql: 'h.requested_at', read: (h) => h.requestedAt.toISOString(), descending: false, kind: 'timestamp' },
      page,
    );
  }

  /** Locks and returns the organization's HELD rows among `ids` (all of them when `ids` is null), oldest first. */
  async lockHeld(organizationId: string, ids: string[] | null): Promise<HeldDeprovisioningView[]> {
    const rows = await this.em.execute<HeldRow[]>(
      `select ${HELD_COLUMNS} from ${HELD_FROM}
        where h.organization_id = ? and h.status = ? ${ids ? 'and h.id = any(?::uuid[])' : ''}
        order by h.requested_at, h.id for update of h`,
      [organizationId, HeldDeprovisioningStatus.HELD, ...(ids ? [uuidArray(ids)] : [])],
    );
    return rows.map(heldView);
  }

  async resolve(
    ids: string[],
    status: HeldDeprovisioningStatus.APPLIED | HeldDeprovisioningStatus.DISCARDED,
    byMemberId: string | null,
  ): Promise<void> {
    if (!ids.length) return;
    await this.em.execute(
      `update held_deprovisioning set status = ?, resolved_at = now(), resolved_by_member_id = ? where id = any(?::uuid[])`,
      [status, byMemberId, uuidArray(ids)],
    );
  }

  /** Discards the member's held deactivation, if any; its id, or null. */
  async discardHeldDeactivation(memberId: string): Promise<string | null> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update held_deprovisioning set status = ?, resolved_at = now()
        where member_id = ? and action = ? and status = ? returning id`,
      [
        HeldDeprovisioningStatus.DISCARDED,
        memberId,
        HeldDeprovisioningAction.DEACTIVATE,
        HeldDeprovisioningStatus.HELD,
      ],
    );
    return rows[0]?.id ?? null;
  }

  /** Discards whatever is held for the member (it is being removed: nothing is left to decide). */
  async discardAllHeldOf(memberId: string): Promise<void> {
    await this.em.execute(
      `update held_deprovisioning set status = ?, resolved_at = now() where member_id = ? and status = ?`,
      [HeldDeprovisioningStatus.DISCARDED, memberId, HeldDeprovisioningStatus.HELD],
    );
  }

  /** The addresses of the organization's confirmed owners (who hear that the safeguard tripped). */
  async ownerEmails(organizationId: string): Promise<string[]> {
    const rows = await this.em.execute<{ email: string }[]>(
      'select email from member where organization_id = ? and role = ? and status = ?',
      [organizationId, MemberRole.OWNER, MemberStatus.CONFIRMED],
    );
    return rows.map((r) => r.email);
  }

  /** The visible hint of a SCIM key, by id. */
  async apiKeyHint(keyId: string): Promise<string | null> {
    const [row] = await this.em.execute<{ hint: string }[]>('select hint from api_key where id = ?', [keyId]);
    return row?.hint ?? null;
  }
}
