import { type Actor } from '../../domain/actor';
import { type NewAuditEvent } from '../../repositories/log.repository';
import { type Transaction } from '../../repositories/unit-of-work';

/** One audited change of a transaction, as the webhook outbox reads it at the transaction's end. */
export interface AuditedChange {
  actor: Actor;
  event: NewAuditEvent;
}

/** What a transaction changed that webhooks may announce: its audit events and its group membership deltas. */
export interface PendingChanges {
  audited: AuditedChange[];
  /** Per group: its organization, and the member ids added and removed by this transaction. */
  groupMembers: Map<string, GroupMembersDelta>;
}

export interface GroupMembersDelta {
  organizationId: string;
  added: string[];
  removed: string[];
}

// Keyed by the transaction's unit of work: a rolled-back or retried transaction's notes go with it.
const pending = new WeakMap<Transaction, PendingChanges>();

function changesOf(tx: Transaction): PendingChanges {
  let changes = pending.get(tx);
  if (!changes) {
    changes = { audited: [], groupMembers: new Map() };
    pending.set(tx, changes);
  }
  return changes;
}

export function noteAudited(tx: Transaction, actor: Actor, event: NewAuditEvent): void {
  changesOf(tx).audited.push({ actor, event });
}

export function noteGroupMembers(
  tx: Transaction,
  organizationId: string,
  groupId: string,
  added: string[],
  removed: string[],
): void {
  if (!added.length && !removed.length) return;
  const members = changesOf(tx).groupMembers;
  const entry = members.get(groupId) ?? { organizationId, added: [], removed: [] };
  entry.added.push(...added);
  entry.removed.push(...removed);
  members.set(groupId, entry);
}

/** The transaction's notes so far, left in place. */
export function peekPendingChanges(tx: Transaction): PendingChanges | null {
  const changes = pending.get(tx);
  return changes && changes.audited.length ? changes : null;
}

/** The transaction's notes, forgotten as they are taken (the outbox writes them once). */
export function takePendingChanges(tx: Transaction): PendingChanges | null {
  const changes = pending.get(tx);
  pending.delete(tx);
  return changes && changes.audited.length ? changes : null;
}
