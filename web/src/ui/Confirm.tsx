import { Button, Group, Modal, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';

export interface ConfirmRequest {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void> | void;
}

/** One confirmation dialog per page: `ask({...})` opens it, the confirm button runs the action. */
export function useConfirm() {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => setRequest(null);
  const dialog = (
    <Modal
      opened={request !== null}
      onClose={close}
      title={request?.title}
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Text size="sm">{request?.message}</Text>
      <Group justify="flex-end" mt="lg">
        {/* Cancel takes the focus: Enter on an opened dialog never confirms a change by accident. */}
        <Button variant="default" onClick={close} data-autofocus>
          Cancel
        </Button>
        <Button
          color={request?.danger ? 'red.9' : undefined}
          loading={busy}
          onClick={async () => {
            if (!request) return;
            setBusy(true);
            try {
              await request.onConfirm();
            } finally {
              setBusy(false);
              close();
            }
          }}
        >
          {request?.confirmLabel}
        </Button>
      </Group>
    </Modal>
  );
  return { ask: setRequest, dialog };
}
