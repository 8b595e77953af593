import { Badge, Group, Table, Text } from '@mantine/core';
import type { Org } from '../../shell/OrgScope';
import { ActionButton } from '../../ui/ActionButton';
import { ScimBadge, StatusBadge } from '../../ui/Badges';
import { SelectCheckbox } from '../../ui/Selection';
import { RowError } from '../../ui/UserErrors';
import { ProfileDisclosure, RevocationNote } from './MemberParts';
import { deniedReason, memberButtons } from './memberButtons';
import type { Member } from './queries';
import { RoleCell } from './RoleCell';
import type { MemberActions } from './useMemberActions';

export interface MemberRowProps {
  m: Member;
  org: Org;
  error: string | undefined;
  actions: MemberActions;
  /** The viewer's own membership: marked, so nobody looks for why its buttons are refused. */
  own: boolean;
  /** Whether the row is selected for an action on several members (rows without it have no checkbox). */
  selected?: boolean;
  onSelect?: (selected: boolean) => void;
}

/** "You" beside the viewer's own membership. */
export const OwnBadge = () => (
  <Badge size="sm" variant="outline" tt="none">
    You
  </Badge>
);

/** One member: who, status, role (a select when the viewer may change it), and the actions its status allows. */
export function MemberRow({ m, org, error, actions, own, selected, onSelect }: MemberRowProps) {
  const name = m.displayName || m.name.formatted;
  return (
    <Table.Tr className={own ? 'own-row' : undefined}>
      {onSelect && (
        <Table.Td>
          <SelectCheckbox label={`Select ${m.email}`} checked={selected ?? false} onChange={onSelect} />
        </Table.Td>
      )}
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500}>
            {m.email}
          </Text>
          {own && <OwnBadge />}
          {m.source === 'SCIM' && <ScimBadge managedBy={m.managedBy} />}
        </Group>
        {name && (
          <Text size="xs" c="dimmed">
            {name}
          </Text>
        )}
        <ProfileDisclosure m={m} />
      </Table.Td>
      <Table.Td>
        <StatusBadge status={m.status} />
        <RevocationNote m={m} />
      </Table.Td>
      <Table.Td>
        <RoleCell m={m} actions={actions} />
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="wrap">
          {memberButtons(m, org.viewerPermissions.manageMembers, actions).map((b) => (
            <ActionButton
              key={b.label}
              size="xs"
              variant={b.primary ? undefined : 'default'}
              deniedReason={deniedReason(b.allowed, org)}
              onClick={() => b.run(m)}
              aria-label={b.name}
            >
              {b.label}
            </ActionButton>
          ))}
        </Group>
        <RowError message={error} />
      </Table.Td>
    </Table.Tr>
  );
}
