import { Checkbox, MultiSelect, Select, Textarea } from '@mantine/core';
import { useState } from 'react';
import { roleLabel } from '../../format';
import type { Org } from '../../shell/OrgScope';
import type { BulkOptions } from './bulkActions';
import { serverSearchProps, useGroupSearch, withChosen } from './useGroupSearch';

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

/** What a search shows past its first answers. */
const searchHint = (shown: number, total: number) =>
  total > shown ? `The first ${shown} of ${total} matching groups: type to narrow.` : undefined;

/**
 * The groups new members join with their invitation, searched by name: the identity provider's own are not
 * offered (their membership is managed there).
 */
export function InviteGroupsField(props: { org: Org; value: string[]; onChange: (ids: string[]) => void }) {
  const search = useGroupSearch(props.org);
  const [chosen, setChosen] = useState<{ value: string; label: string }[]>([]);
  if (!props.org.viewerPermissions.manageGroups) return null;
  const found = search.groups.filter((g) => !g.managedBy).map((g) => ({ value: g.id, label: g.displayName }));
  const data = withChosen(found, chosen);
  return (
    <MultiSelect
      label="Groups (optional)"
      description={
        searchHint(search.groups.length, search.total) ??
        "Groups created here; an identity provider's groups are managed there."
      }
      data={data}
      value={props.value}
      onChange={(ids) => {
        setChosen(data.filter((o) => ids.includes(o.value)));
        props.onChange(ids);
      }}
      {...serverSearchProps(search)}
    />
  );
}

/**
 * The group members are added to, searched by name among all the organization's groups; a group an identity
 * provider pushes is shown but cannot be picked (its membership is managed there).
 */
export function GroupField({ org, options, set }: { org: Org; options: BulkOptions; set: Set }) {
  const search = useGroupSearch(org);
  const [chosen, setChosen] = useState<{ value: string; label: string }[]>([]);
  const found = search.groups.map((g) => ({
    value: g.id,
    label: g.managedBy ? `${g.displayName} (managed by ${g.managedBy}: read-only here)` : g.displayName,
    disabled: Boolean(g.managedBy),
  }));
  const data = withChosen(found, chosen);
  return (
    <Select
      label="Group"
      placeholder="Type a group's name"
      description={
        searchHint(search.groups.length, search.total) ?? 'Groups an identity provider pushes are read-only.'
      }
      data={data}
      value={options.groupId}
      onChange={(groupId) => {
        setChosen(data.filter((o) => o.value === groupId));
        set({ groupId });
      }}
      {...serverSearchProps(search)}
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
