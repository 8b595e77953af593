import { useMutation } from '@apollo/client/react';
import { NativeSelect } from '@mantine/core';
import { useState } from 'react';
import type { Org } from '../components/OrgScope';
import { FormErrors, RequestError, type UserErrorLike } from '../components/UserErrors';
import { roleLabel } from '../format';
import { graphql } from '../gql';

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

/** The group's "Role for members" select: the role its members get when their role comes from groups. */
export function GroupRoleMapping({
  org,
  groupId,
  role,
  onChanged,
}: {
  org: Org;
  groupId: string;
  role: string | null;
  onChanged: () => Promise<unknown>;
}) {
  const [set, setting] = useMutation(SET);
  const [clear, clearing] = useMutation(CLEAR);
  const [errors, setErrors] = useState<UserErrorLike[]>([]);
  const change = async (next: string) => {
    const input = { organizationId: org.id, groupId };
    const r =
      next === NONE
        ? (await clear({ variables: { input } })).data?.groupRoleMappingClear
        : (await set({ variables: { input: { ...input, role: next as never } } })).data?.groupRoleMappingSet;
    setErrors(r?.userErrors ?? []);
    await onChanged();
  };
  const options = [
    { value: NONE, label: 'No role mapping' },
    ...['USER', 'CUSTOM', 'ADMIN'].map((r) => {
      const why = refusal(org, r);
      return { value: r, label: why ? `${roleLabel(r)} (${why})` : roleLabel(r), disabled: why !== null };
    }),
  ];
  return (
    <>
      <NativeSelect
        label="Role for members"
        description="Members whose role comes from groups get the highest role their groups give; owners keep theirs."
        data={options}
        value={role ?? NONE}
        onChange={(e) => void change(e.currentTarget.value)}
        disabled={!org.viewerPermissions.manageGroups || setting.loading || clearing.loading}
        style={{ maxWidth: 420 }}
      />
      <RequestError error={setting.error ?? clearing.error} />
      <FormErrors errors={errors} />
    </>
  );
}
