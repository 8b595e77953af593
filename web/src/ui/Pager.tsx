import { Button, Group, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';

/** One page of a GraphQL connection, as every list query selects it. */
export interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: N[];
}

/**
 * Keyset paging: the cursors of the pages walked so far, so "Previous" returns to the exact page before
 * (connections page forward with `after`; nothing is ever counted by offset). With `urlKey` the walk lives in the
 * address (`?page=c1,c2`), so a reload or Back shows the same page.
 */
export function useCursorPager(pageSize: number, urlKey?: string) {
  const [local, setLocal] = useState<string[]>([]);
  const [params, setParams] = useSearchParams();
  const fromUrl = urlKey ? (params.get(urlKey)?.split(',').filter(Boolean) ?? []) : null;
  const walked = fromUrl ?? local;
  const walk = useCallback(
    (change: (cursors: string[]) => string[]) => {
      if (!urlKey) return setLocal(change);
      const current = params.get(urlKey)?.split(',').filter(Boolean) ?? [];
      const next = change(current);
      if (next.join(',') === current.join(',')) return; // no new history entry for no change
      const copy = new URLSearchParams(params);
      if (next.length) copy.set(urlKey, next.join(','));
      else copy.delete(urlKey);
      setParams(copy);
    },
    [urlKey, params, setParams],
  );
  const next = useCallback(
    (endCursor: string | null | undefined) => {
      if (endCursor) walk((c) => [...c, endCursor]);
    },
    [walk],
  );
  const previous = useCallback(() => walk((c) => c.slice(0, -1)), [walk]);
  const reset = useCallback(() => walk((c) => (c.length ? [] : c)), [walk]);
  const after = walked.length ? walked[walked.length - 1] : null;
  return { pageSize, after, page: walked.length + 1, next, previous, reset };
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
