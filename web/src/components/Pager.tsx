import { Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';

/**
 * Keyset paging: the cursors of the pages walked so far, so "Previous" returns to the exact page before
 * (connections page forward with `after`; nothing is ever counted by offset).
 */
export function useCursorPager() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const next = useCallback((endCursor: string | null | undefined) => {
    if (endCursor) setCursors((c) => [...c, endCursor]);
  }, []);
  const previous = useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []);
  const reset = useCallback(() => setCursors([null]), []);
  return { after, page: cursors.length, next, previous, reset };
}

export type CursorPager = ReturnType<typeof useCursorPager>;

interface PagerProps {
  pager: CursorPager;
  pageSize: number;
  shown: number;
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null | undefined;
  noun: string;
}

export function Pager({ pager, pageSize, shown, totalCount, hasNextPage, endCursor, noun }: PagerProps) {
  const first = shown === 0 ? 0 : (pager.page - 1) * pageSize + 1;
  const last = shown === 0 ? 0 : first + shown - 1;
  return (
    <Group justify="space-between" mt="sm" wrap="wrap">
      <Text size="sm" c="dimmed" aria-live="polite">
        {totalCount === 0 ? `No ${noun}` : `${first}–${last} of ${totalCount} ${noun}`}
      </Text>
      <Group gap="xs">
        <Button variant="default" size="xs" onClick={pager.previous} disabled={pager.page <= 1}>
          Previous page
        </Button>
        <Button variant="default" size="xs" onClick={() => pager.next(endCursor)} disabled={!hasNextPage}>
          Next page
        </Button>
      </Group>
    </Group>
  );
}
