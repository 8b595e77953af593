import { Button, Fieldset, NativeSelect, Stack } from '@mantine/core';
import { useState } from 'react';
import type { Org } from '../../shell/OrgScope';
import {
  NO_FLAGS,
  PERMISSION_FLAGS,
  type PermissionFlags,
  PermissionsChecklist,
} from '../members/PermissionsChecklist';
import { FormErrors } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { roleLabel } from '../../format';
import { graphql } from '../../gql';

const SET = graphql(`
  mutation GroupRoleMappingSet($input: GroupRoleMappingSetInput!) {
    groupRoleMappingSet(input: $input) {
      ...GroupPayloadFields
    }
  }
`);

const CLEAR = graphql(`
  mutation GroupRoleMappingClear($input: GroupRoleMappingClearInput!) {
    groupRoleMappingClear(input: $input) {
      ...GroupPayloadFields
    }
  }
`);

const NONE = '';

export interface RoleMapping {
  role: string;
  permissions: PermissionFlags;
}

/**
 * Why the viewer may not give `role` by mapping it, or null. Mapping a role gives it to every member of the group, so
 * the server applies the grant rule; the console mirrors it: only owners and administrators (who alone may change
 * the organization) hold the ADMIN role's rights.
 */
function refusal(org: Org, role: string): string | null {
  if (!org.viewerPermissions.manageGroups) return 'you may not manage groups';
  if (role === 'ADMIN' && !org.viewerPermissions.updateOrganization) return 'only owners and administrators give it';
  return null;
}

const flagsOf = (mapping: RoleMapping | null): PermissionFlags =>
  mapping?.role === 'CUSTOM'
    ? (Object.fromEntries(PERMISSION_FLAGS.map(({ flag }) => [flag, mapping.permissions[flag]])) as PermissionFlags)
    : NO_FLAGS;

/**
 * The group's "Role for members" select: the role its members get when their role comes from groups. USER and ADMIN
 * are set as soon as they are picked; Custom opens its permission checklist, saved with its own button.
 */
export function GroupRoleMapping({
  org,
  groupId,
  mapping,
  onChanged,
}: {
  org: Org;
  groupId: string;
  mapping: RoleMapping | null;
  onChanged: () => Promise<unknown>;
}) {
  const action = useMutationAction(onChanged);
  // The CUSTOM flags being edited, not saved yet; null shows the mapping as the server has it.
  const [draft, setDraft] = useState<PermissionFlags | null>(null);
  const busy = action.loading;
  const errors = action.errors;
  const save = async (role: string, permissions?: PermissionFlags) => {
    const input = { organizationId: org.id, groupId };
    const { ok } =
      role === NONE
        ? await action.run(CLEAR, { input }, (d) => d.groupRoleMappingClear)
        : await action.run(
            SET,
            { input: { ...input, role: role as never, permissions } },
            (d) => d.groupRoleMappingSet,
          );
    if (ok) setDraft(null);
  };
  const change = (next: string) => {
    if (next === 'CUSTOM') {
      action.reset();
      setDraft(flagsOf(mapping));
      return;
    }
    setDraft(null);
    void save(next);
  };
  const options = [
    { value: NONE, label: 'No role mapping' },
    ...['USER', 'CUSTOM', 'ADMIN'].map((r) => {
      const why = refusal(org, r);
      return { value: r, label: why ? `${roleLabel(r)} (${why})` : roleLabel(r), disabled: why !== null };
    }),
  ];
  const shown = draft ? 'CUSTOM' : (mapping?.role ?? NONE);
  const manage = org.viewerPermissions.manageGroups;
  return (
    <Stack gap="xs" style={{ maxWidth: 420 }}>
      <NativeSelect
        label="Role for members"
        description="Members whose role comes from groups get the highest role their groups give; owners keep theirs."
        data={options}
        value={shown}
        onChange={(e) => change(e.currentTarget.value)}
        disabled={!manage || busy}
      />
      {shown === 'CUSTOM' && (
        <Fieldset legend="Permissions of the custom role">
          <PermissionsChecklist
            org={org}
            value={draft ?? flagsOf(mapping)}
            onChange={setDraft}
            disabled={!manage || busy}
          />
          <Button
            mt="sm"
            size="xs"
            onClick={() => void save('CUSTOM', draft ?? flagsOf(mapping))}
            disabled={!manage || !draft}
            loading={action.loading}
          >
            Save custom role
          </Button>
        </Fieldset>
      )}
      <FormErrors errors={errors} />
    </Stack>
  );
}
