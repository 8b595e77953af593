import { Anchor, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { formatDateTime } from '../../format';
import { MemberProfile, profileEntries } from './MemberProfile';
import { flagLabels } from './PermissionsChecklist';
import type { Member } from './queries';
import type { MemberActions } from './useMemberActions';

/** Under a CUSTOM role: the labels of the permission flags it gives. */
export function CustomPermissions({ m }: { m: Member }) {
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
export function RoleSourceSwitch({ m, actions }: { m: Member; actions: MemberActions }) {
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

/** Under a revoked member's status: why, and whether the identity provider is kept from restoring it. */
export function RevocationNote({ m }: { m: Member }) {
  if (m.status !== 'REVOKED' || (!m.revocationReason && !m.revocationHold)) return null;
  return (
    <>
      {m.revocationReason && (
        <Text size="xs" c="dimmed">
          Reason: {m.revocationReason}
        </Text>
      )}
      {m.revocationHold && (
        <Text size="xs" c="dimmed">
          Kept revoked by {m.revocationHold.by} on {formatDateTime(m.revocationHold.at)}
        </Text>
      )}
    </>
  );
}

/** "Show profile" under the member's name, only when there is something to show (profile fields, provisioning). */
export function ProfileDisclosure({ m }: { m: Member }) {
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
