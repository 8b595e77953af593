import { Anchor, Group, Table, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { ActionButton } from '../../ui/ActionButton';
import { RoleFromGroupBadge, ScimBadge, StatusBadge } from '../../ui/Badges';
import type { Org } from '../../shell/OrgScope';
import { flagLabels } from './PermissionsChecklist';
import { roleLabel } from '../../format';
import { MemberProfile, profileEntries } from './MemberProfile';
import type { Member } from './queries';
import type { MemberActions } from './useMemberActions';

export const ROLE_OPTIONS = ['OWNER', 'ADMIN', 'CUSTOM', 'USER'].map((r) => ({ value: r, label: roleLabel(r) }));

/** Why a member action is refused (the server's viewerCan says no; the buttons shown follow the member's status). */
function denied(allowed: boolean, org: Org): string | null {
  if (allowed) return null;
  if (!org.viewerPermissions.manageMembers) return 'You may not manage members in this organization.';
  return "You may not act on this member: their role is above what you may manage, or it's your own membership.";
}

interface MemberButton {
  label: string;
  allowed: boolean;
  run: (m: Member) => void;
  primary?: boolean;
}

/** The actions a member's status offers, each allowed or not by the server's viewerCan. */
function buttonsFor(m: Member, manageMembers: boolean, actions: MemberActions): MemberButton[] {
  const can = m.viewerCan;
  const byStatus: Partial<Record<Member['status'], MemberButton>> = {
    ACCEPTED: { label: 'Confirm', allowed: can.confirm, run: actions.confirm, primary: true },
    INVITED: { label: 'Reinvite', allowed: can.reinvite, run: actions.reinvite },
    STAGED: { label: 'Send invitation', allowed: manageMembers, run: actions.inviteStaged },
  };
  const access =
    m.status === 'REVOKED'
      ? { label: 'Restore access', allowed: can.restore, run: actions.restore }
      : { label: 'Revoke access', allowed: can.revoke, run: actions.revoke };
  const own = byStatus[m.status];
  return [...(own ? [own] : []), access, { label: 'Remove', allowed: can.remove, run: actions.remove }];
}

/** One member: who, status, role (a select when the viewer may change it), and the actions its status allows. */
export function MemberRow({
  m,
  org,
  error,
  actions,
}: {
  m: Member;
  org: Org;
  error: string | undefined;
  actions: MemberActions;
}) {
  const name = m.displayName || m.name.formatted;
  const can = m.viewerCan;
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500}>
            {m.email}
          </Text>
          {m.source === 'SCIM' && <ScimBadge />}
        </Group>
        {name && (
          <Text size="xs" c="dimmed">
            {name}
          </Text>
        )}
        <ProfileDisclosure m={m} />
      </Table.Td>
      <Table.Td>
        <StatusBadge status={m.status} reason={m.revocationReason} />
      </Table.Td>
      <Table.Td>
        {m.roleSource === 'GROUPS' ? (
          // A role from groups changes with the groups' mappings, not here: the role, and the group that gives it.
          <Group gap={6} wrap="nowrap">
            <Text size="sm">{roleLabel(m.role)}</Text>
            {m.roleGrantedBy && <RoleFromGroupBadge group={m.roleGrantedBy.displayName} />}
          </Group>
        ) : can.changeRole ? (
          // A plain select: there is one per row, and a Mantine input costs about as much to mount as the rest of
          // the row (the first page of members must be on screen quickly).
          <select
            className="row-select"
            aria-label={`Role of ${m.email}`}
            value={m.role}
            onChange={(e) => actions.changeRole(m, e.currentTarget.value)}
          >
            {ROLE_OPTIONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        ) : (
          <Text size="sm">{roleLabel(m.role)}</Text>
        )}
        {m.role === 'CUSTOM' && <CustomPermissions m={m} />}
        <RoleSourceSwitch m={m} actions={actions} />
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="wrap">
          {buttonsFor(m, org.viewerPermissions.manageMembers, actions).map((b) => (
            <ActionButton
              key={b.label}
              size="xs"
              variant={b.primary ? undefined : 'default'}
              deniedReason={denied(b.allowed, org)}
              onClick={() => b.run(m)}
            >
              {b.label}
            </ActionButton>
          ))}
        </Group>
        {error && (
          <Text size="xs" c="var(--mantine-color-error)" role="alert" mt={4}>
            {error}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Under a CUSTOM role: the labels of the permission flags it gives. */
function CustomPermissions({ m }: { m: Member }) {
  const labels = flagLabels(m.permissions);
  return (
    <Text size="xs" c="dimmed">
      {labels.length ? labels.join(', ') : 'No permissions'}
    </Text>
  );
}

/**
 * Switches where the role comes from: a role from groups can be taken over by hand, and a member an identity
 * provider manages can be handed back to its groups. Offered when the viewer may act on the member (not an owner).
 */
function RoleSourceSwitch({ m, actions }: { m: Member; actions: MemberActions }) {
  if (!m.viewerCan.update || m.role === 'OWNER') return null;
  if (m.roleSource === 'GROUPS')
    return (
      <Anchor component="button" type="button" size="xs" onClick={() => actions.setRoleSource(m, 'MANUAL')}>
        Set role by hand
      </Anchor>
    );
  if (m.source !== 'SCIM') return null;
  return (
    <Anchor component="button" type="button" size="xs" onClick={() => actions.setRoleSource(m, 'GROUPS')}>
      Take role from groups
    </Anchor>
  );
}

/** "Show profile" under the member's name, only when the identity provider sent profile fields. */
function ProfileDisclosure({ m }: { m: Member }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const entries = profileEntries(m);
  if (!entries.length) return null;
  return (
    <>
      <Anchor
        component="button"
        type="button"
        size="xs"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? 'Hide profile' : 'Show profile'}
      </Anchor>
      <div id={id} hidden={!open}>
        {open && <MemberProfile entries={entries} />}
      </div>
    </>
  );
}
