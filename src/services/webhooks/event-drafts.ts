import { WEBHOOK_MEMBER_IDS_PER_EVENT, type WebhookEventType } from '../../domain/webhook-events';
import { type GroupMembersDelta, type PendingChanges } from './pending-changes';

/** What an event is about: its body's `data` is that resource as it is after the change. */
export type EventSubject =
  | { kind: 'member'; id: string }
  /** A member that no longer exists: the data is what the audit event kept of it. */
  | { kind: 'removedMember'; id: string; email: unknown }
  | { kind: 'group'; id: string }
  | { kind: 'deletedGroup'; id: string; displayName: unknown }
  | { kind: 'groupMembers'; groupId: string; memberIds: string[] }
  | { kind: 'scimSettings' }
  | { kind: 'scimKey'; keyId: unknown };

/** One event to announce, before it is numbered and rendered. `change` indexes the audited change it comes from. */
export interface EventDraft {
  type: WebhookEventType;
  change: number;
  subject: EventSubject;
}

const chunks = (ids: string[]): string[][] => {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += WEBHOOK_MEMBER_IDS_PER_EVENT)
    out.push(ids.slice(i, i + WEBHOOK_MEMBER_IDS_PER_EVENT));
  return out;
};

/**
 * The catalogue's events for a transaction's audited changes. Audit types name what was done (`member.provisioned`,
 * `scim.enabled`); events name what a receiver reacts to, so several audit types map to one event (a SCIM
 * (de)activation is audited as the revoke or restore it is), and a group change with a membership delta announces the ids
 * added and removed (at most WEBHOOK_MEMBER_IDS_PER_EVENT per event).
 */
export function eventDrafts(changes: PendingChanges): EventDraft[] {
  const drafts: EventDraft[] = [];
  const announced = new Set<string>();
  changes.audited.forEach(({ event }, change) => {
    const id = event.targetId ?? '';
    const data = event.data ?? {};
    const push = (type: WebhookEventType, subject: EventSubject) => drafts.push({ type, change, subject });
    const member: EventSubject = { kind: 'member', id };
    switch (event.type) {
      case 'member.invited':
      case 'member.provisioned':
      case 'member.reinvited':
        push('member.invited', member);
        break;
      case 'member.accepted':
      case 'member.confirmed':
      case 'member.revoked':
      case 'member.restored':
      case 'member.updated':
        push(event.type, member);
        break;
      case 'member.removed':
        push('member.removed', { kind: 'removedMember', id, email: data.email });
        break;
      case 'group.created':
        push('group.created', { kind: 'group', id });
        break;
      case 'group.updated':
        if (data.displayName !== undefined || data.externalId !== undefined || !changes.groupMembers.has(id))
          push('group.updated', { kind: 'group', id });
        break;
      case 'group.deleted':
        push('group.deleted', { kind: 'deletedGroup', id, displayName: data.displayName });
        break;
      case 'scim.settings_updated':
      case 'scim.enabled':
      case 'scim.disabled':
        push('scim.settings_updated', { kind: 'scimSettings' });
        break;
      case 'scim.key_rotated':
        push('scim.key_rotated', { kind: 'scimKey', keyId: data.keyId });
        break;
      default:
        break;
    }
    if (event.type === 'group.created' || event.type === 'group.updated') {
      announced.add(id);
      pushMembers(drafts, change, id, changes.groupMembers.get(id));
    }
  });
  // Memberships changed from the member's side (its groups set, or given with its invitation) have no group audit
  // event of their own: they are announced after the transaction's changes, as made by its last one.
  const organizationId = changes.audited[0]?.event.organizationId;
  const last = changes.audited.length - 1;
  for (const [groupId, delta] of changes.groupMembers)
    if (!announced.has(groupId) && delta.organizationId === organizationId) pushMembers(drafts, last, groupId, delta);
  return drafts;
}

function pushMembers(drafts: EventDraft[], change: number, groupId: string, delta: GroupMembersDelta | undefined) {
  for (const memberIds of chunks(delta?.added ?? []))
    drafts.push({ type: 'group.members_added', change, subject: { kind: 'groupMembers', groupId, memberIds } });
  for (const memberIds of chunks(delta?.removed ?? []))
    drafts.push({ type: 'group.members_removed', change, subject: { kind: 'groupMembers', groupId, memberIds } });
}
