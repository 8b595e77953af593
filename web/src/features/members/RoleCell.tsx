import { Group, Text } from '@mantine/core';
import { roleLabel } from '../../format';
import { RoleFromGroupBadge } from '../../ui/Badges';
import { CustomPermissions, RoleSourceSwitch } from './MemberParts';
import type { Member } from './queries';
import type { MemberActions } from './useMemberActions';

/** A member's role: a select when the viewer may change it (roles the server would refuse disabled, with why). */
export function RoleCell({ m, actions }: { m: Member; actions: MemberActions }) {
  return (
    <>
      {m.roleSource === 'GROUPS' ? (
        // A role from groups changes with the groups' mappings, not here: the role, and the group that gives it.
        <Group gap={6} wrap="nowrap">
          <Text size="sm">{roleLabel(m.role)}</Text>
          {m.roleGrantedBy && <RoleFromGroupBadge group={m.roleGrantedBy.displayName} />}
        </Group>
      ) : m.viewerCan.changeRole ? (
        // A plain select: there is one per row, and a Mantine input costs about as much to mount as the rest of
        // the row (the first page of members must be on screen quickly).
        <select
          className="row-select"
          aria-label={`Role of ${m.email}`}
          value={m.role}
          onChange={(e) => actions.changeRole(m, e.currentTarget.value)}
        >
          {m.viewerCan.roleOptions.map((r) => (
            // The server's own rules: a role it would refuse is disabled, with its reason.
            <option key={r.role} value={r.role} disabled={!r.allowed} title={r.reason ?? undefined}>
              {r.allowed ? roleLabel(r.role) : `${roleLabel(r.role)} (${r.reason ?? 'not allowed'})`}
            </option>
          ))}
        </select>
      ) : (
        <Text size="sm">{roleLabel(m.role)}</Text>
      )}
      {m.role === 'CUSTOM' && <CustomPermissions m={m} />}
      <RoleSourceSwitch m={m} actions={actions} />
    </>
  );
}
