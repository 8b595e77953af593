import { useQuery } from '@apollo/client/react';
import type { ComboboxItem, ComboboxParsedItem } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { Org } from '../../shell/OrgScope';
import { ADDABLE_GROUPS } from './bulkActions';

export interface GroupChoice {
  id: string;
  displayName: string;
  /** The identity provider that pushes the group (its membership is read-only here), else null. */
  managedBy?: string | null;
}

/**
 * The organization's groups whose name contains what was typed, searched on the server (an organization may have
 * thousands): the first 20 by name, and how many match in all. The last answer stays on screen while the next loads.
 */
export function useGroupSearch(org: Org) {
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const result = useQuery(ADDABLE_GROUPS, {
    variables: { id: org.id, query: query || null },
    skip: !org.viewerPermissions.viewGroups,
  });
  const connection = (result.data ?? result.previousData)?.organization?.groups;
  const groups: GroupChoice[] = connection?.nodes ?? [];
  return {
    search,
    setSearch,
    groups,
    total: connection?.totalCount ?? 0,
    loading: result.loading || search.trim() !== query,
  };
}

/** A choice's own entry, kept in a picker's list while a search shows other groups (so its label still shows). */
export function withChosen<T extends { value: string }>(options: T[], chosen: readonly T[]): T[] {
  const shown = new Set(options.map((o) => o.value));
  return [...options, ...chosen.filter((c) => !shown.has(c.value))];
}

/** The server already filtered the options by what was typed. */
const serverFiltered = ({ options }: { options: ComboboxItem[] | ComboboxParsedItem[] }) =>
  options as ComboboxParsedItem[];

/** A group picker's props for a search answered by the server (what is typed goes there, not to a local filter). */
export function serverSearchProps(search: ReturnType<typeof useGroupSearch>) {
  return {
    searchable: true,
    searchValue: search.search,
    onSearchChange: search.setSearch,
    filter: serverFiltered,
    nothingFoundMessage: search.loading ? 'Searching…' : 'No group matches',
    comboboxProps: { withinPortal: false },
  };
}
