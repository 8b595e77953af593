import { type AuditEvent, type ScimRequestLog } from '../entities';

// What the log reads return, in the shape the log's read models are made from.

/** Where a change came from, as the actor kind recorded it: a person (console or API), SCIM, the CLI, orgd itself. */
export type AuditSource = 'CONSOLE' | 'SCIM' | 'CLI' | 'SYSTEM';

/** An event with the names it reads as a sentence by: the acting account's email and the subject's name. */
export interface AuditEventRow {
  /** The event's id and time, read by the keyset cursor (a view of the row carries the same two). */
  id: string;
  occurredAt: Date;
  event: AuditEvent;
  /** The acting account's email (or acting member's), while it exists. */
  actorEmail: string | null;
  /** The member's email or the group's name: as it is now, else as the event recorded it. */
  subjectName: string | null;
}

/** A log entry with the member or group it concerned, as they are now (null once deleted). */
export interface ScimRequestLogEntryRow {
  /** The entry's id and time, read by the keyset cursor (a view of the row carries the same two). */
  id: string;
  occurredAt: Date;
  entry: ScimRequestLog;
  targetEmail: string | null;
  targetName: string | null;
}

/** The provisioning log's figures an admin reads first: is the identity provider connected, and failing? */
export interface ScimRequestStatsRow {
  /** The last request whose key was accepted, whatever its status. */
  lastRequestAt: Date | null;
  /** Per provider of the key: its last successful request. */
  lastSuccessByProvider: { keyProvider: string | null; client: string | null; at: Date }[];
  failures: number;
  rejectedKeys: number;
}

/** A member's provisioning as the log shows it: its last successful write and its last failed request. */
export interface MemberProvisioningRow {
  memberId: string;
  lastProvisionedAt: Date | null;
  lastError: { status: number; summary: string | null; at: Date } | null;
}
