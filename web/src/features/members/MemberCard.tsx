import { ActionIcon, Group, Menu, Paper, Stack, Text } from '@mantine/core';
import { ScimBadge, StatusBadge } from '../../ui/Badges';
import { RowError } from '../../ui/UserErrors';
import { ProfileDisclosure, RevocationNote } from './MemberParts';
import { deniedReason, memberButtons } from './memberButtons';
import { type MemberRowProps, OwnBadge } from './MemberRow';
import { RoleCell } from './RoleCell';

/** A member on a phone: name, e-mail, status and role, and every action in one menu. */
export function MemberCard({ m, org, error, actions, own }: MemberRowProps) {
  const name = m.displayName || m.name.formatted;
  return (
    <Paper withBorder p="sm" component="li" className={own ? 'own-row' : undefined} aria-label={m.email}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          {name && (
            <Text size="sm" fw={500}>
              {name}
            </Text>
          )}
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {m.email}
          </Text>
          <Group gap={6}>
            <StatusBadge status={m.status} />
            {own && <OwnBadge />}
            {m.source === 'SCIM' && <ScimBadge managedBy={m.managedBy} />}
          </Group>
          <RevocationNote m={m} />
          <RoleCell m={m} actions={actions} />
          <ProfileDisclosure m={m} />
        </Stack>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="default" size="lg" aria-label={`Actions for ${m.email}`}>
              <span aria-hidden="true">⋯</span>
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {memberButtons(m, org.viewerPermissions.manageMembers, actions).map((b) => {
              const denied = deniedReason(b.allowed, org);
              return (
                <Menu.Item
                  key={b.label}
                  disabled={denied !== null}
                  title={denied ?? undefined}
                  onClick={() => b.run(m)}
                >
                  {b.label}
                </Menu.Item>
              );
            })}
          </Menu.Dropdown>
        </Menu>
      </Group>
      <RowError message={error} />
    </Paper>
  );
}
