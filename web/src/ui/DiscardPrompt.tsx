import { Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';

/**
 * Asked when a form with unsaved input is about to be closed or left: keep editing (focused, so Enter or Escape
 * loses nothing) or discard.
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
  const keep = useRef<HTMLButtonElement>(null);
  // Shown inside a dialog already open: its focus trap does not move the focus here by itself.
  useEffect(() => keep.current?.focus(), []);
  return (
    <Stack role="alertdialog" aria-label="Discard changes?">
      <Text size="sm">Discard {what}? Nothing has been saved.</Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onKeep} ref={keep}>
          Keep editing
        </Button>
        <Button color="red.9" onClick={onDiscard}>
          Discard
        </Button>
      </Group>
    </Stack>
  );
}
