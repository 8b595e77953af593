import { scimClientName } from '../domain/scim-clients';
import { type MemberProvisioningRow, type ScimRequestStatsRow } from './log-rows';

/** The set-up guide's chip: no request with a working key yet, or the last one. */
export type ScimConnectionState = 'WAITING_FOR_FIRST_REQUEST' | 'CONNECTED';

export interface ScimRequestStatsView {
  readonly connection: ScimConnectionState;
  /** The last request whose key was accepted (whatever its status); null while waiting. */
  readonly lastRequestAt: Date | null;
  /** Each client's last successful request, the most recent first. */
  readonly clients: { readonly name: string; readonly lastSuccessAt: Date }[];
  /** Failed requests whose key was accepted, since `since`. */
  readonly failures: number;
  /** Requests refused for their key, since `since`: counted apart, as nobody known sent them. */
  readonly rejectedKeys: number;
  readonly since: Date;
}

export function scimRequestStatsView(row: ScimRequestStatsRow, since: Date): ScimRequestStatsView {
  // Rows of one provider logged before and after keys named it are one client.
  const clients = new Map<string, Date>();
  for (const s of row.lastSuccessByProvider) {
    const name = scimClientName(s.keyProvider, s.client);
    const seen = clients.get(name);
    if (!seen || seen < s.at) clients.set(name, s.at);
  }
  return {
    connection: row.lastRequestAt ? 'CONNECTED' : 'WAITING_FOR_FIRST_REQUEST',
    lastRequestAt: row.lastRequestAt,
    clients: [...clients]
      .map(([name, lastSuccessAt]) => ({ name, lastSuccessAt }))
      .sort((a, b) => b.lastSuccessAt.getTime() - a.lastSuccessAt.getTime()),
    failures: row.failures,
    rejectedKeys: row.rejectedKeys,
    since,
  };
}

/** A member's provisioning, as its profile shows it. */
export interface MemberProvisioningView {
  /** The last successful write the identity provider made to the member. */
  readonly lastProvisionedAt: Date | null;
  /** The last SCIM request about the member that failed (it may be older than the last success). */
  readonly lastError: { readonly status: number; readonly message: string | null; readonly at: Date } | null;
}

export function memberProvisioningView(row: MemberProvisioningRow): MemberProvisioningView {
  return {
    lastProvisionedAt: row.lastProvisionedAt,
    lastError: row.lastError && { status: row.lastError.status, message: row.lastError.summary, at: row.lastError.at },
  };
}
