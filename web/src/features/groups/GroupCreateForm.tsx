import { Group, Paper, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { graphql } from '../../gql';
import { ActionButton } from '../../ui/ActionButton';
import { useUnsavedChanges } from '../../ui/UnsavedChanges';
import { FormErrors, fieldError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';

const GROUP_CREATE = graphql(`
  mutation GroupCreate($input: GroupCreateInput!) {
    groupCreate(input: $input) {
      ...GroupPayloadFields
    }
  }
`);

/** "Create a group": a name, its error beside it, the list read again once it exists. */
export function GroupCreateForm({
  orgId,
  deniedReason,
  onCreated,
}: {
  orgId: string;
  deniedReason: string | null;
  onCreated: () => Promise<unknown>;
}) {
  const [name, setName] = useState('');
  const create = useMutationAction(onCreated);
  useUnsavedChanges(name.trim() ? 'the group name you typed' : null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input = { organizationId: orgId, displayName: name };
    if ((await create.run(GROUP_CREATE, { input }, (d) => d.groupCreate)).ok) setName('');
  };
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} aria-label="Create a group">
        <Title order={2} size="h4" mb="xs">
          Create a group
        </Title>
        <Group align="flex-start">
          <TextInput
            label="Group name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(create.errors, 'displayName')}
            style={{ flex: 1, minWidth: 200 }}
          />
          <ActionButton type="submit" mt={25} deniedReason={deniedReason} loading={create.loading}>
            Create group
          </ActionButton>
        </Group>
        <FormErrors errors={create.errors} except={['displayName']} />
      </form>
    </Paper>
  );
}
