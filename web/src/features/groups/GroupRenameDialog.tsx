import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { graphql } from '../../gql';
import { DiscardPrompt } from '../../ui/DiscardPrompt';
import { useUnsavedChanges } from '../../ui/UnsavedChanges';
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
  const edited = group !== null && name !== group.displayName;
  const unsaved = useUnsavedChanges(edited ? 'the new name' : null);
  const requestClose = () => unsaved.guard(onClose);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!group) return;
    const input = { organizationId: orgId, groupId: group.id, displayName: name };
    if ((await rename.run(GROUP_UPDATE, { input }, (d) => d.groupUpdate)).ok) onClose();
  };
  return (
    <Modal
      opened={group !== null}
      onClose={requestClose}
      title="Rename group"
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {unsaved.asking && <DiscardPrompt what="the new name" onKeep={unsaved.keep} onDiscard={unsaved.discard} />}
      <form onSubmit={submit} hidden={unsaved.asking}>
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
            <Button variant="default" onClick={requestClose}>
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
