import { Checkbox, Stack } from '@mantine/core';
import type { MemberPermissionsInput } from '../../gql/graphql';
import type { Org } from '../../shell/OrgScope';

export type PermissionFlag = keyof MemberPermissionsInput & string;
export type PermissionFlags = Record<PermissionFlag, boolean>;

/** The CUSTOM role's flags, in the order the console shows them, with their labels. */
export const PERMISSION_FLAGS: { flag: PermissionFlag; label: string; description: string }[] = [
  {
    flag: 'manageUsers',
    label: 'Manage members',
    description: 'Invite, confirm, revoke, restore, remove and edit members.',
  },
  { flag: 'manageGroups', label: 'Manage groups', description: 'Create, edit and delete groups and their membership.' },
  { flag: 'manageScim', label: 'Manage SCIM', description: 'SCIM settings and the provisioning log.' },
  { flag: 'manageScimKeys', label: 'Manage SCIM keys', description: 'Enable and disable SCIM and rotate its key.' },
  { flag: 'accessEventLogs', label: 'Read the audit trail', description: "The organization's event log." },
  { flag: 'manageWebhooks', label: 'Manage webhooks', description: "The organization's webhook endpoints." },
];

export const NO_FLAGS: PermissionFlags = {
  manageUsers: false,
  manageGroups: false,
  manageScim: false,
  manageScimKeys: false,
  accessEventLogs: false,
  manageWebhooks: false,
};

/** The viewer's own capability that each flag gives: a CUSTOM viewer may give only the flags it holds. */
const HELD: Record<PermissionFlag, keyof Org['viewerPermissions'] | null> = {
  manageUsers: 'manageMembers',
  manageGroups: 'manageGroups',
  manageScim: 'manageScim',
  manageScimKeys: null,
  accessEventLogs: 'viewEvents',
  manageWebhooks: 'manageWebhooks',
};

/**
 * Why the viewer may not give `flag`, or null; mirrors the server's grant rule: owners give every flag,
 * administrators all but the owner-only ones, a CUSTOM member only the flags it holds.
 */
export function flagRefusal(org: Org, flag: PermissionFlag): string | null {
  const p = org.viewerPermissions;
  if (p.manageOwners) return null;
  const held = HELD[flag];
  if (!held) return 'only owners give it';
  if (p.updateOrganization || p[held]) return null;
  return 'you do not hold it';
}

/** The labels of the flags that are on, for showing a CUSTOM role's permissions. */
export const flagLabels = (p: Partial<PermissionFlags>): string[] =>
  PERMISSION_FLAGS.filter((f) => p[f.flag]).map((f) => f.label);

/** A checkbox per flag; the flags the viewer may not give are disabled, with the reason. */
export function PermissionsChecklist({
  org,
  value,
  onChange,
  disabled,
}: {
  org: Org;
  value: PermissionFlags;
  onChange: (next: PermissionFlags) => void;
  disabled?: boolean;
}) {
  return (
    <Stack gap={6}>
      {PERMISSION_FLAGS.map(({ flag, label, description }) => {
        // A flag already on stays removable even when the viewer could not give it.
        const why = value[flag] ? null : flagRefusal(org, flag);
        return (
          <Checkbox
            key={flag}
            label={why ? `${label} (${why})` : label}
            description={description}
            checked={value[flag]}
            disabled={disabled || why !== null}
            onChange={(e) => onChange({ ...value, [flag]: e.currentTarget.checked })}
          />
        );
      })}
    </Stack>
  );
}
