import { Badge, Tooltip } from '@mantine/core';
import { statusLabel } from '../format';

/** Confirmed is done (green), accepted waits for an administrator (amber), revoked is cut off (red), the rest wait. */
const STATUS_COLORS: Record<string, string> = {
  CONFIRMED: 'green',
  ACCEPTED: 'yellow',
  INVITED: 'gray',
  STAGED: 'gray',
  REVOKED: 'red',
};

export function StatusBadge({ status, reason }: { status: string; reason?: string | null }) {
  const badge = (
    <Badge variant="light" color={STATUS_COLORS[status] ?? 'gray'} className={`status-badge status-${status}`}>
      {statusLabel(status)}
    </Badge>
  );
  return reason ? <Tooltip label={`Reason: ${reason}`}>{badge}</Tooltip> : badge;
}

/**
 * Marks what the identity provider manages: edits here may be overwritten by its next sync. The explanation is a
 * native title (hover, and the badge's accessible description): a list shows this badge on every SCIM row, and a
 * Mantine Tooltip per row costs more to mount than the rest of the row.
 */
export function ScimBadge({ managedBy }: { managedBy?: string | null }) {
  return (
    <Badge
      variant="transparent"
      size="sm"
      tt="none"
      className="scim-badge"
      title={`Managed by ${managedBy ?? 'your identity provider'} over SCIM: its next sync may undo changes made here`}
    >
      {managedBy ? `Managed by ${managedBy}` : 'SCIM'}
    </Badge>
  );
}

/** Beside a role that comes from the member's groups: the group whose role mapping gives it. */
export function RoleFromGroupBadge({ group }: { group: string }) {
  return (
    <Badge
      variant="light"
      size="sm"
      tt="none"
      className="role-from-group-badge"
      title={`The role comes from the role mapping of the group ${group}`}
    >
      from {group}
    </Badge>
  );
}

/** Whether the identity provider created (and so manages) a group. */
export const isScimManaged = (group: { source: string }): boolean => group.source === 'SCIM';
