import { Alert, Button, Group, Text } from '@mantine/core';
import { timeAgo } from '../../format';

interface PreviousKey {
  hint: string;
  validUntil: string;
  lastUsedAt?: string | null;
}

const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });

/** "14:05" today, with the date on another day. */
function until(iso: string): string {
  const at = new Date(iso);
  return at.toDateString() === new Date().toDateString() ? time.format(at) : dateTime.format(at);
}

/**
 * After a rotation with an overlap: the old key still works until its time, and the administrator ends it once the
 * identity provider has switched (its last use shows whether it has).
 */
export function ScimPreviousKeyNotice({
  previousKey,
  rotatedAt,
  onEnd,
  ending,
  deniedReason,
}: {
  previousKey: PreviousKey;
  /** When the current key was issued: uses of the previous key after it are the identity provider not switched yet. */
  rotatedAt: string | null;
  onEnd: () => void;
  ending: boolean;
  deniedReason: string | null;
}) {
  return (
    <Alert
      role="status"
      color="blue"
      variant="light"
      title={`Previous key ${previousKey.hint} works until ${until(previousKey.validUntil)}`}
    >
      <Group justify="space-between" align="center" wrap="nowrap">
        <Text size="sm">
          {previousKey.lastUsedAt && (!rotatedAt || previousKey.lastUsedAt >= rotatedAt)
            ? `Last used ${timeAgo(previousKey.lastUsedAt)}.`
            : 'Not used since the rotation.'}{' '}
          End it once your identity provider uses the new key.
        </Text>
        <Button
          color="red.9"
          onClick={onEnd}
          loading={ending}
          disabled={deniedReason !== null}
          title={deniedReason ?? undefined}
        >
          End now
        </Button>
      </Group>
    </Alert>
  );
}
