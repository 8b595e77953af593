import { Badge, Tooltip } from '@mantine/core';
import { statusLabel } from '../format';

export function StatusBadge({ status, reason }: { status: string; reason?: string | null }) {
  const badge = (
    <Badge variant="transparent" className={`status-badge status-${status}`}>
      {statusLabel(status)}
    </Badge>
  );
  return reason ? <Tooltip label={`Reason: ${reason}`}>{badge}</Tooltip> : badge;
}

/** Marks what the identity provider manages: edits here may be overwritten by its next sync. */
export function ScimBadge() {
  return (
    <Tooltip label="Managed by your identity provider over SCIM">
      <Badge variant="transparent" size="sm" className="scim-badge">
        SCIM
      </Badge>
    </Tooltip>
  );
}

/**
 * Whether the identity provider manages a group. A heuristic: the GraphQL Group type has no source (Member has
 * `source`), so this reads the externalId identity providers set, which a GraphQL client may also set.
 */
export const isScimManaged = (group: { externalId?: string | null }): boolean => !!group.externalId;
