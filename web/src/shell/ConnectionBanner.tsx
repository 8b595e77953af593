import { useApolloClient } from '@apollo/client/react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useUnreachable } from '../connection';

const RETRY_EVERY_MS = 5_000;

/**
 * While orgd cannot be reached: one banner (pages keep what they show and do not repeat the error), the open
 * queries tried again every few seconds, and a Retry button to try at once.
 */
export function ConnectionBanner() {
  const unreachable = useUnreachable();
  const apollo = useApolloClient();
  const retry = () => void apollo.refetchQueries({ include: 'active' }).catch(() => undefined);
  useEffect(() => {
    if (!unreachable) return;
    const timer = setInterval(retry, RETRY_EVERY_MS);
    return () => clearInterval(timer);
  }, [unreachable]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!unreachable) return null;
  return (
    <Alert color="yellow" role="status" mb="md" p="xs">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">Can't reach orgd — retrying…</Text>
        <Button size="compact-sm" variant="default" onClick={retry}>
          Retry
        </Button>
      </Group>
    </Alert>
  );
}
