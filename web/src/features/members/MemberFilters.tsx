import { Button, Drawer, Group, Select, Stack, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useSearchParams } from 'react-router';
import { statusLabel } from '../../format';
import type { MemberFilter, MemberOrder, MemberRole, MemberSource, MemberStatus } from '../../gql/graphql';
import { useUrlSearch } from '../../ui/useUrlSearch';
import { ROLE_OPTIONS } from './roles';

/** "Manual" members are the ones added here: invited, or the owner who created the organization. */
const SOURCES: Record<string, MemberSource[]> = { SCIM: ['SCIM'], MANUAL: ['INVITE', 'OWNER'] };

/** Sort orders by URL value; newest first unless the address names another. */
const SORTS: Record<string, { label: string; order: MemberOrder }> = {
  newest: { label: 'Newest first', order: { field: 'CREATED_AT', direction: 'DESC' } },
  oldest: { label: 'Oldest first', order: { field: 'CREATED_AT', direction: 'ASC' } },
  name: { label: 'Name (A–Z)', order: { field: 'DISPLAY_NAME', direction: 'ASC' } },
  email: { label: 'E-mail (A–Z)', order: { field: 'EMAIL', direction: 'ASC' } },
};
const DEFAULT_SORT = 'newest';

/** The filters that pick one value from a list (each may be cleared), by their key in the address. */
const CHOICES = [
  {
    key: 'status',
    label: 'Status',
    placeholder: 'Any status',
    data: ['INVITED', 'ACCEPTED', 'CONFIRMED', 'REVOKED', 'STAGED'].map((s) => ({ value: s, label: statusLabel(s) })),
    width: 230,
  },
  { key: 'role', label: 'Role', placeholder: 'Any role', data: ROLE_OPTIONS, width: 140 },
  {
    key: 'source',
    label: 'Source',
    placeholder: 'Any source',
    data: [
      { value: 'SCIM', label: 'SCIM (identity provider)' },
      { value: 'MANUAL', label: 'Manual (invited here)' },
    ],
    width: 210,
  },
] as const;

type ChoiceKey = (typeof CHOICES)[number]['key'];
/** The address's key of the page walked (a new filter or sort starts again from the first page). */
export const MEMBERS_PAGE_KEY = 'page';

/**
 * The Members page's search, filters and sort, kept in the address (reload and Back keep them), and the
 * server-side MemberFilter and MemberOrder they make (the search debounced).
 */
export function useMemberFilter() {
  const [params, setParams] = useSearchParams();
  const { search, setSearch, query: urlQuery } = useUrlSearch('q', [MEMBERS_PAGE_KEY]);
  const set = (changes: Record<string, string | null>) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      for (const [k, v] of Object.entries(changes))
        if (v) next.set(k, v);
        else next.delete(k);
      next.delete(MEMBERS_PAGE_KEY); // a new filter or sort starts from the first page
      return next;
    });

  const choice = (key: ChoiceKey) => params.get(key);
  const status = choice('status');
  const role = choice('role');
  const source = choice('source');
  const sort = params.get('sort') && SORTS[params.get('sort')!] ? params.get('sort')! : DEFAULT_SORT;
  const filter: MemberFilter = {
    query: urlQuery.trim() || undefined,
    statuses: status ? [status as MemberStatus] : undefined,
    roles: role ? [role as MemberRole] : undefined,
    sources: source && SOURCES[source] ? SOURCES[source] : undefined,
  };
  return {
    search,
    setSearch,
    choice,
    choose: (key: ChoiceKey, value: string | null) => set({ [key]: value }),
    sort,
    setSort: (value: string | null) => set({ sort: value && value !== DEFAULT_SORT ? value : null }),
    orderBy: SORTS[sort].order,
    /** How many of the list filters are set (the phone's "Filters (N)"). */
    active: [status, role, source].filter(Boolean).length,
    filter,
  };
}

export type MemberFilterState = ReturnType<typeof useMemberFilter>;

function Choices({ state: s, stacked }: { state: MemberFilterState; stacked?: boolean }) {
  return (
    <>
      {CHOICES.map((c) => (
        <Select
          key={c.key}
          label={c.label}
          placeholder={c.placeholder}
          data={c.data}
          value={s.choice(c.key)}
          onChange={(v) => s.choose(c.key, v)}
          clearable
          w={stacked ? undefined : c.width}
          comboboxProps={{ withinPortal: true }}
        />
      ))}
      <Select
        label="Sort"
        data={Object.entries(SORTS).map(([value, { label }]) => ({ value, label }))}
        value={s.sort}
        onChange={s.setSort}
        allowDeselect={false}
        w={stacked ? undefined : 170}
      />
    </>
  );
}

/** Search beside the filters; on a phone the filters fold into a "Filters (N)" sheet. */
export function MemberFilters({ state: s, compact }: { state: MemberFilterState; compact: boolean }) {
  const [sheet, { open, close }] = useDisclosure(false);
  const searchBox = (
    <TextInput
      label="Search members"
      placeholder="E-mail, name, external ID or group"
      value={s.search}
      onChange={(e) => s.setSearch(e.currentTarget.value)}
      style={{ flex: '1 1 220px' }}
    />
  );
  if (!compact)
    return (
      <Group gap="sm" align="flex-end" wrap="wrap">
        {searchBox}
        <Choices state={s} />
      </Group>
    );
  return (
    <Group gap="sm" align="flex-end" wrap="nowrap">
      {searchBox}
      <Button variant="default" onClick={open}>
        Filters ({s.active})
      </Button>
      <Drawer
        opened={sheet}
        onClose={close}
        position="bottom"
        title="Filters"
        size="auto"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <Stack gap="sm" pb="md">
          <Choices state={s} stacked />
          <Button onClick={close}>Show members</Button>
        </Stack>
      </Drawer>
    </Group>
  );
}
