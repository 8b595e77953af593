import { Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';

/** One page of a GraphQL connection, as every list query selects it. */
export interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: N[];
}

/**
 * Keyset paging: the cursors of the pages walked so far, so "Previous" returns to the exact page before
 * (connections page forward with `after`; nothing is ever counted by offset).
 */
export function useCursorPager(pageSize: number) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const next = useCallback((endCursor: string | null | undefined) => {
    if (endCursor) setCursors((c) => [...c, endCursor]);
  }, []);
  const previous = useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []);
  const reset = useCallback(() => setCursors([null]), []);
  return { pageSize, after, page: cursors.length, next, previous, reset };
}

export type CursorPager = ReturnType<typeof useCursorPager>;

/** "21–40 of 75 groups" with Previous / Next page buttons. */
export function Pager({
  pager,
  connection,
  noun,
}: {
  pager: CursorPager;
  connection: Connection<unknown>;
  noun: string;
}) {
  const shown = connection.nodes.length;
  const first = shown === 0 ? 0 : (pager.page - 1) * pager.pageSize + 1;
  const last = shown === 0 ? 0 : first + shown - 1;
  return (
    <Group justify="space-between" mt="sm" wrap="wrap">
      <Text size="sm" c="dimmed" aria-live="polite">
        {connection.totalCount === 0 ? `No ${noun}` : `${first}–${last} of ${connection.totalCount} ${noun}`}
      </Text>
      <Group gap="xs">
        <Button variant="default" size="xs" onClick={pager.previous} disabled={pager.page <= 1}>
          Previous page
        </Button>
        <Button
          variant="default"
          size="xs"
          onClick={() => pager.next(connection.pageInfo.endCursor)}
          disabled={!connection.pageInfo.hasNextPage}
        >
          Next page
        </Button>
      </Group>
    </Group>
  );
}
