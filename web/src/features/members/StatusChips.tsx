import { Button, Group, Text } from '@mantine/core';
import type { MembersQuery } from '../../gql/graphql';

type Counts = NonNullable<NonNullable<MembersQuery['organization']>['memberStatusCounts']>;

/** Each status's count in words that say what it asks of the administrator, most urgent first. */
const CHIPS: { status: string; key: keyof Counts; words: (n: number) => string }[] = [
  { status: 'ACCEPTED', key: 'accepted', words: (n) => `${n} need${n === 1 ? 's' : ''} confirmation` },
  { status: 'INVITED', key: 'invited', words: (n) => `${n} invited` },
  { status: 'STAGED', key: 'staged', words: (n) => `${n} staged` },
  { status: 'CONFIRMED', key: 'confirmed', words: (n) => `${n} confirmed` },
  { status: 'REVOKED', key: 'revoked', words: (n) => `${n} revoked` },
];

const CHIP_COLORS: Record<string, string> = {
  ACCEPTED: 'yellow',
  INVITED: 'gray',
  STAGED: 'gray',
  CONFIRMED: 'green',
  REVOKED: 'red',
};

/** The members per status as chips: one press filters the list to that status, another clears it. */
export function StatusChips({
  counts,
  status,
  onStatus,
}: {
  counts: Counts;
  status: string | null;
  onStatus: (status: string | null) => void;
}) {
  return (
    <Group gap={6} aria-label="Members per status" role="group">
      <Text size="sm" fw={500}>
        {counts.total} members
      </Text>
      {CHIPS.filter((c) => counts[c.key] > 0).map((c) => (
        <Button
          key={c.status}
          size="compact-sm"
          radius="xl"
          // The status colours when not pressed (their light text colours keep a 4.5:1 contrast); pressed, dark.
          variant={status === c.status ? 'filled' : 'light'}
          color={status === c.status ? 'dark.7' : CHIP_COLORS[c.status]}
          aria-pressed={status === c.status}
          onClick={() => onStatus(status === c.status ? null : c.status)}
        >
          {c.words(counts[c.key])}
        </Button>
      ))}
    </Group>
  );
}
