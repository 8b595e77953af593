import { Checkbox, MultiSelect, Select, Textarea } from '@mantine/core';
import { useQuery } from '@apollo/client/react';
import { roleLabel } from '../../format';
import type { Org } from '../../shell/OrgScope';
import { ADDABLE_GROUPS, type BulkOptions } from './bulkActions';

type Set = (changes: Partial<BulkOptions>) => void;

/**
 * Revoking: one optional reason for every member, and, when an identity provider manages some of them, "Keep
 * revoked" (its next sync would otherwise give the access back).
 */
export function RevokeFields({
  options,
  set,
  managedBy,
}: {
  options: BulkOptions;
  set: Set;
  managedBy: string | null;
}) {
  return (
    <>
      <Textarea
        label="Reason (optional)"
        description="Shown in the member's profile and the event log."
        value={options.reason}
        maxLength={500}
        onChange={(e) => set({ reason: e.currentTarget.value })}
      />
      {managedBy && (
        <Checkbox
          label="Keep revoked"
          description={`${managedBy} will not restore access at its next sync; Restore here lifts it.`}
          checked={options.keepRevoked}
          onChange={(e) => set({ keepRevoked: e.currentTarget.checked })}
        />
      )}
    </>
  );
}

/** The groups created here: a group an identity provider pushes has its membership managed there. */
function useAddableGroups(org: Org) {
  const { data } = useQuery(ADDABLE_GROUPS, { variables: { id: org.id }, skip: !org.viewerPermissions.viewGroups });
  const groups = (data?.organization?.groups?.nodes ?? []).filter((g) => !g.managedBy);
  return { data, groups };
}

/** The groups new members join with their invitation (the identity provider's own are not offered). */
export function InviteGroupsField(props: { org: Org; value: string[]; onChange: (ids: string[]) => void }) {
  const { groups } = useAddableGroups(props.org);
  if (!props.org.viewerPermissions.manageGroups) return null;
  return (
    <MultiSelect
      label="Groups (optional)"
      description="Groups created here; an identity provider's groups are managed there."
      data={groups.map((g) => ({ value: g.id, label: g.displayName }))}
      value={props.value}
      onChange={props.onChange}
      searchable
      comboboxProps={{ withinPortal: false }}
    />
  );
}

export function GroupField({ org, options, set }: { org: Org; options: BulkOptions; set: Set }) {
  const { data, groups } = useAddableGroups(org);
  return (
    <Select
      label="Group"
      placeholder={data ? 'Choose a group' : 'Loading groups…'}
      data={groups.map((g) => ({ value: g.id, label: g.displayName }))}
      value={options.groupId}
      onChange={(groupId) => set({ groupId })}
      searchable
      comboboxProps={{ withinPortal: false }}
    />
  );
}

/** The roles the viewer may give, the others disabled with the server's reason. */
export function RoleField({ org, options, set }: { org: Org; options: BulkOptions; set: Set }) {
  const data = org.viewerPermissions.roleOptions.map((o) => ({
    value: o.role,
    label: o.allowed ? roleLabel(o.role) : `${roleLabel(o.role)} (${o.reason ?? 'not allowed'})`,
    disabled: !o.allowed,
  }));
  return (
    <Select
      label="New role"
      placeholder="Choose a role"
      data={data}
      value={options.role}
      onChange={(role) => set({ role })}
      comboboxProps={{ withinPortal: false }}
    />
  );
}
