import { useQuery } from '@apollo/client/react';
import { Group, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { graphql } from '../../gql';
import type { Org } from '../../shell/OrgScope';
import { ActionButton } from '../../ui/ActionButton';
import { FormErrors } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';

const MEMBER_PICKER = graphql(`
  query MemberPicker($id: ID!, $query: String) {
    organization(id: $id) {
      id
      members(first: 20, filter: { query: $query }) {
        nodes {
          id
          email
          displayName
        }
      }
    }
  }
`);

const ADD = graphql(`
  mutation GroupMembersAdd($input: GroupMembersInput!) {
    groupMembersAdd(input: $input) {
      ...GroupPayloadFields
    }
  }
`);
/** "Add a member": a search by e-mail or name, and the button that adds the one picked to the group. */
export function GroupMemberPicker(props: {
  org: Org;
  groupId: string;
  deniedReason: string | null;
  onAdded: () => Promise<unknown>;
}) {
  const { org, groupId, deniedReason } = props;
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const picker = useQuery(MEMBER_PICKER, {
    variables: { id: org.id, query: query || undefined },
    skip: !org.viewerPermissions.manageGroups,
  });
  const [picked, setPicked] = useState<string | null>(null);
  const add = useMutationAction(props.onAdded);
  const addPicked = async () => {
    if (!picked) return;
    setPicked(null);
    setSearch('');
    const input = { organizationId: org.id, groupId, memberIds: [picked] };
    await add.run(ADD, { input }, (d) => d.groupMembersAdd);
  };
  const options = (picker.data?.organization?.members?.nodes ?? []).map((m) => ({
    value: m.id,
    label: m.displayName ? `${m.displayName} <${m.email}>` : m.email,
  }));
  return (
    <>
      <Group align="flex-end" wrap="wrap">
        <Select
          label="Add a member"
          placeholder="Search by e-mail or name"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={options}
          value={picked}
          onChange={setPicked}
          filter={({ options: o }) => o}
          nothingFoundMessage={query ? 'No member matches' : undefined}
          style={{ flex: '1 1 260px' }}
          disabled={deniedReason !== null}
        />
        <ActionButton
          deniedReason={deniedReason ?? (picked ? null : 'Pick a member first.')}
          onClick={() => void addPicked()}
          loading={add.loading}
        >
          Add to group
        </ActionButton>
      </Group>
      <FormErrors errors={add.errors} />
    </>
  );
}
