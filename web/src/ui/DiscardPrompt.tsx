import { Button, Group, Stack, Text } from '@mantine/core';

/**
 * Asked inside a dialog whose form has unsaved input when it is being closed: keep editing (focused, so Enter or
 * Escape loses nothing) or discard.
 */
export function DiscardPrompt({
  what,
  onKeep,
  onDiscard,
}: {
  what: string;
  onKeep: () => void;
  onDiscard: () => void;
}) {
  return (
    <Stack role="alertdialog" aria-label="Discard changes?">
      <Text size="sm">Discard {what}? Nothing has been sent.</Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onKeep} data-autofocus>
          Keep editing
        </Button>
        <Button color="red.9" onClick={onDiscard}>
          Discard
        </Button>
      </Group>
    </Stack>
  );
}
