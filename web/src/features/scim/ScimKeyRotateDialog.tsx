import { Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';

/** How long a routine rotation keeps the old key working: time to paste the new one into the identity provider. */
export const ROUTINE_OVERLAP_MINUTES = 60;

type Ending = 'now' | 'overlap';

const consequences = (provider: string): Record<Ending, string> => ({
  now: `The current key stops working at once: every request fails until you paste the new key into ${provider}.`,
  overlap: `The current key keeps working for an hour beside the new one. Paste the new key into ${provider}, then end the old key (or let the hour run out).`,
});

/**
 * Asks what happens to the current SCIM key before a rotation: it ends now (it leaked) or keeps working for an
 * hour (a routine rotation, without a failed sync). Nothing is chosen for the administrator: both answers matter.
 */
export function ScimKeyRotateDialog({
  opened,
  providerName,
  onClose,
  onRotate,
}: {
  opened: boolean;
  /** The identity provider the new key goes into, by name. */
  providerName: string;
  onClose: () => void;
  onRotate: (previousKeyValidMinutes: number) => Promise<void>;
}) {
  const [ending, setEnding] = useState<Ending | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setEnding(null);
    onClose();
  };
  const confirm = async () => {
    if (!ending) return;
    setBusy(true);
    try {
      await onRotate(ending === 'now' ? 0 : ROUTINE_OVERLAP_MINUTES);
    } finally {
      setBusy(false);
      close();
    }
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title="Rotate the SCIM API key?"
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack>
        <Radio.Group
          label="A new key is issued and shown once. What happens to the current key?"
          value={ending}
          onChange={(v) => setEnding(v as Ending)}
        >
          <Stack gap="xs" mt="xs">
            <Radio value="now" label="It stops working now" description="The key leaked, or may have." />
            <Radio
              value="overlap"
              label="It keeps working for an hour"
              description="A routine rotation: provisioning goes on while you switch the identity provider."
            />
          </Stack>
        </Radio.Group>
        {ending && (
          <Text size="sm" role="status">
            {consequences(providerName)[ending]}
          </Text>
        )}
      </Stack>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={close} data-autofocus>
          Cancel
        </Button>
        <Button color={ending === 'now' ? 'red.9' : undefined} loading={busy} disabled={!ending} onClick={confirm}>
          Rotate key
        </Button>
      </Group>
    </Modal>
  );
}
