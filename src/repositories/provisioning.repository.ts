import { randomUUID } from 'node:crypto';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type MemberRole, type MemberSource, type MemberStatus, type RoleSource } from '../domain/enums';
import { MEMBER_FIELD_LIST, type MemberProfileValues } from '../domain/member-fields';
import { type MemberView } from '../read-models/member.view';
import { AUDIT_EVENT_COLUMNS, type NewAuditEvent, auditActorValues } from './log.repository';
import { memberViewOfRow } from './member-rows';
import { type OutboxMessageContent } from './outbox.repository';
import { preparedRows } from './prepared';
import { type NewWebhookEvent, webhookEventCtes, webhookEventValues } from './webhook-outbox.repository';

const json = (value: unknown): string | null => (value == null ? null : JSON.stringify(value));

/**
 * The member columns the create writes, in the order of its parameters below: the profile's from the field table,
 * then the membership's; `version` takes its default. A column added to the entity outside the field table must be
 * added here too: `test/repositories/provisioning.test.ts` compares this list with the entity's metadata.
 */
export const MEMBER_INSERT_COLUMNS = [
  'id',
  'organization_id',
  'user_id',
  ...MEMBER_FIELD_LIST.map((f) => f.column),
  'role',
  'permissions',
  'role_source',
  'role_granted_by_id',
  'status',
  'prior_status',
  'revocation_reason',
  'revocation_held_at',
  'revocation_held_by',
  'revocation_hold_reported_at',
  'source',
  'invitation_token_hash',
  'invitation_expires_at',
  'invitation_email',
  'confirmation_key',
  'created_at',
  'updated_at',
] as const;
const JSONB_COLUMNS: ReadonlySet<string> = new Set([
  'permissions',
  ...MEMBER_FIELD_LIST.filter((f) => f.type === 'typedValues').map((f) => f.column),
]);
const PLACEHOLDERS = MEMBER_INSERT_COLUMNS.map((c) => (JSONB_COLUMNS.has(c) ? '?::jsonb' : '?')).join(', ');

/**
 * The create's statement, with the webhook events' expressions or without. Built once: a statement text built per
 * call is hashed anew each time it is looked up among the prepared ones.
 */
const insertStatement = (webhookCtes: string | null): string => `with m as (
         insert into member (${MEMBER_INSERT_COLUMNS.join(', ')})
         select ${PLACEHOLDERS}
          where exists (select 1 from organization o left join scim_settings s on s.organization_id = o.id
                         where o.id = ? and o.name = ? and o.seat_limit is not distinct from ?::int
                           and coalesce(s.invite_users_after_provisioning, true) = ?::boolean)
         returning *
       ), a as (
         insert into audit_event (${AUDIT_EVENT_COLUMNS})
         select ?, m.organization_id, ?, ?, ?, ?, ?, ?, ?, m.id, ?::jsonb, ?, ?, ? from m
       ), o as (
         insert into outbox_message (id, organization_id, member_id, kind, recipient, mail)
         select ?, m.organization_id, m.id, ?, ?, ?::jsonb from m where ?::boolean
       )${webhookCtes ? `, ${webhookCtes}` : ''}
       select * from m`;
const INSERT_WITHOUT_EVENTS = insertStatement(null);
/** With the webhook events, written only with the member (`m`): one event (the usual case), or several. */
const INSERT_WITH_EVENT = insertStatement(webhookEventCtes('m', true));
const INSERT_WITH_EVENTS = insertStatement(webhookEventCtes('m', false));

/** The profile's parameters, in MEMBER_INSERT_COLUMNS order. */
const profileValues = (m: NewMemberRow) =>
  MEMBER_FIELD_LIST.map((f) => (f.type === 'typedValues' ? json(m[f.id]) : (m[f.id] ?? null)));

/** The organization a provisioned member joins, as the create needs it. */
export interface ProvisioningTarget {
  id: string;
  name: string;
  seatLimit: number | null;
  /** Whether provisioned members are invited (true when SCIM was never set up). */
  invite: boolean;
}

/** What the create decides about a new member; every other column starts empty. */
export interface MemberDraft extends Partial<MemberProfileValues> {
  email: string;
  userName: string;
  organizationId: string;
  role: MemberRole;
  permissions: MemberView['permissions'];
  roleSource: RoleSource;
  status: MemberStatus;
  priorStatus: MemberStatus | null;
  source: MemberSource;
}

/**
 * A new member as the create writes it: a plain object with every column, by the entity's property names, never an
 * entity (an entity defines an accessor per property on each instance, which cost more than the rest of the
 * create's own work). As a MemberView it is the member as the statement stores it.
 */
export interface NewMemberRow extends MemberView {
  invitationTokenHash: string | null;
  invitationEmail: string | null;
  invitationExpiresAt: Date | null;
  readonly revocationHoldReportedAt: Date | null;
  readonly confirmationKey: string | null;
}

/**
 * The create path of an identity provider's user (SCIM POST /Users), in as few round trips as its guards allow:
 * the organization and its provisioning setting in one read, the member with its audit event and its invitation
 * e-mail in one statement.
 * Uniqueness is the unique indexes' answer (a violation becomes the domain's DUPLICATE_* error), not a pre-check.
 */
export class ProvisioningRepository {
  constructor(private readonly em: EntityManager) {}

  /** The organization with its provisioning setting; null if none. */
  async organization(organizationId: string): Promise<ProvisioningTarget | null> {
    const [row] = await preparedRows(
      this.em,
      `select o.id, o.name, o.seat_limit, coalesce(s.invite_users_after_provisioning, true) as invite
         from organization o left join scim_settings s on s.organization_id = o.id
        where o.id = ?`,
      [organizationId],
    );
    if (!row) return null;
    return {
      id: row.id as string,
      name: row.name as string,
      seatLimit: (row.seat_limit as number | null) ?? null,
      invite: row.invite === true,
    };
  }

  /** A new member, written by `insert`: the draft with every other column empty, as the entity's defaults are. */
  draft(fields: MemberDraft): NewMemberRow {
    const now = new Date();
    const row = {
      id: randomUUID(),
      organizationId: fields.organizationId,
      userId: null,
      role: fields.role,
      permissions: fields.permissions,
      roleSource: fields.roleSource,
      roleGrantedById: null,
      status: fields.status,
      priorStatus: fields.priorStatus,
      revocationReason: null,
      revocationHeldAt: null,
      revocationHeldBy: null,
      revocationHoldReportedAt: null,
      source: fields.source,
      invitationTokenHash: null,
      invitationEmail: null,
      invitationExpiresAt: null,
      confirmationKey: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    } as NewMemberRow;
    // Assigned one by one: spreading an object built field by field into this literal cost 26 µs a member.
    const profile = row as unknown as Record<string, unknown>;
    for (const f of MEMBER_FIELD_LIST) profile[f.id] = fields[f.id] ?? null;
    return row;
  }

  /**
   * Writes the member drafted by `draft`, its audit event, its invitation e-mail (when there is one) and the webhook
   * events announcing it (when an endpoint wants them) in one statement; returns the member as stored. The statement
   * writes only while the organization is as `target` says (name, seat limit, invitation setting), so a target
   * remembered from an earlier request is checked where it counts: null when it no longer holds (nothing written).
   */
  async insert(
    m: NewMemberRow,
    target: ProvisioningTarget,
    audit: NewAuditEvent,
    invitation: OutboxMessageContent | null,
    webhookEvents: NewWebhookEvent[] = [],
  ): Promise<MemberView | null> {
    const withEvents = webhookEvents.length > 0;
    const text =
      webhookEvents.length === 0
        ? INSERT_WITHOUT_EVENTS
        : webhookEvents.length === 1
          ? INSERT_WITH_EVENT
          : INSERT_WITH_EVENTS;
    const [row] = await preparedRows(this.em, text, [
      m.id,
      m.organizationId,
      m.userId,
      ...profileValues(m),
      m.role,
      json(m.permissions),
      m.roleSource,
      m.roleGrantedById,
      m.status,
      m.priorStatus,
      m.revocationReason,
      m.revocationHeldAt,
      m.revocationHeldBy,
      m.revocationHoldReportedAt,
      m.source,
      m.invitationTokenHash,
      m.invitationExpiresAt,
      m.invitationEmail,
      m.confirmationKey,
      m.createdAt,
      m.updatedAt,
      target.id,
      target.name,
      target.seatLimit,
      target.invite,
      randomUUID(),
      audit.type,
      ...auditActorValues(audit),
      audit.targetType,
      json(audit.data),
      audit.requestId,
      audit.clientRequestId,
      audit.occurredAt,
      randomUUID(),
      invitation?.kind ?? null,
      invitation?.recipient ?? null,
      json(invitation?.mail),
      invitation !== null,
      ...(withEvents ? webhookEventValues(m.organizationId, webhookEvents) : []),
    ]);
    return row ? memberViewOfRow(row) : null;
  }
}
