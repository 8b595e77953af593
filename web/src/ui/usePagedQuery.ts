import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { type Connection, useCursorPager } from './Pager';

type PageVariables = { first: number; after?: string | null };

interface PagedQueryOptions<TData, TVariables, N> {
  /** The query's variables but the page's own (`first`, `after`). */
  variables: Omit<TVariables, keyof PageVariables>;
  pageSize: number;
  /** Where the paged connection sits in the answer. */
  select: (data: TData) => Connection<N> | null | undefined;
  /** Back to the first page when this changes (default: when any variable does, e.g. a filter or a search). */
  resetOn?: unknown;
  skip?: boolean;
  /** Refresh the first page this often (ms): it follows new items live, older pages stay where they are. */
  pollFirstPage?: number;
  notifyOnNetworkStatusChange?: boolean;
  /** 'all': fields the viewer may not read come back null beside the rest (each with its error). */
  errorPolicy?: 'none' | 'all';
  /** Keep the page in the address under this key (reload and Back return to it). */
  urlKey?: string;
}

/**
 * A query of one connection paged by cursor: the pager supplies `first` and `after`, and a new filter starts
 * again from the first page.
 */
export function usePagedQuery<TData, TVariables extends OperationVariables & PageVariables, N>(
  document: TypedDocumentNode<TData, TVariables>,
  {
    variables,
    pageSize,
    select,
    resetOn = variables,
    pollFirstPage = 0,
    urlKey,
    ...options
  }: PagedQueryOptions<TData, TVariables, N>,
) {
  const pager = useCursorPager(pageSize, urlKey);
  const { reset } = pager;
  const resetKey = JSON.stringify(resetOn);
  // A new filter starts from the first page; the first render keeps the page the address names.
  const seen = useRef(resetKey);
  useEffect(() => {
    if (seen.current === resetKey) return;
    seen.current = resetKey;
    reset();
  }, [resetKey, reset]);
  const result = useQuery<TData, TVariables>(document, {
    ...options,
    pollInterval: pager.page === 1 ? pollFirstPage : 0,
    variables: { ...variables, first: pageSize, after: pager.after } as TVariables,
  } as useQuery.Options<TData, TVariables>);
  // While a request fails (orgd unreachable), the page keeps what it showed.
  const data = (result.data ?? (result.error ? result.previousData : undefined)) as TData | undefined;
  return { ...result, data, pager, connection: (data && select(data)) ?? undefined };
}
