import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { graphql } from '../../gql';
import { FormErrors, fieldError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';

const GROUP_UPDATE = graphql(`
  mutation GroupUpdate($input: GroupUpdateInput!) {
    groupUpdate(input: $input) {
      ...GroupPayloadFields
    }
  }
`);

export interface GroupToRename {
  id: string;
  displayName: string;
}

/** "Rename group": open while `group` is set; closes once the new name is saved. */
export function GroupRenameDialog({
  orgId,
  group,
  onClose,
  onRenamed,
}: {
  orgId: string;
  group: GroupToRename | null;
  onClose: () => void;
  onRenamed: () => Promise<unknown>;
}) {
  const [name, setName] = useState('');
  const rename = useMutationAction(onRenamed);
  const { reset } = rename;
  useEffect(() => {
    setName(group?.displayName ?? '');
    reset();
  }, [group]); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!group) return;
    const input = { organizationId: orgId, groupId: group.id, displayName: name };
    if ((await rename.run(GROUP_UPDATE, { input }, (d) => d.groupUpdate)).ok) onClose();
  };
  return (
    <Modal
      opened={group !== null}
      onClose={onClose}
      title="Rename group"
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <form onSubmit={submit}>
        <Stack>
          <TextInput
            label="Group name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldError(rename.errors, 'displayName')}
            data-autofocus
          />
          <FormErrors errors={rename.errors} except={['displayName']} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={rename.loading}>
              Save name
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
