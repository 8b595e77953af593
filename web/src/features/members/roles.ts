import { roleLabel } from '../../format';

export const ROLE_OPTIONS = ['OWNER', 'ADMIN', 'CUSTOM', 'USER'].map((r) => ({ value: r, label: roleLabel(r) }));

/** What an owner or an admin may do that others may not, in the words of a confirmation. */
const POWERS: Record<string, string> = {
  OWNER: 'manage everyone, owners included, rotate or delete the SCIM key, and change or delete the organization',
  ADMIN: 'manage members and groups, SCIM provisioning (not its key) and webhooks, and read the event log',
};

/**
 * The consequence of a role change that gives or takes owner or admin powers, or null for the others (they
 * change what a member may do inside the organization less, and are not asked about).
 */
export function roleChangeConsequence(who: string, from: string, to: string): string | null {
  if (POWERS[to]) return `${who} will be able to ${POWERS[to]}.`;
  if (POWERS[from])
    return `${who} will no longer be able to ${POWERS[from]}: as ${roleLabel(to)}, only what that role gives.`;
  return null;
}
