import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { statusLabel } from '../../format';
import type { MemberFilter, MemberRole, MemberSource, MemberStatus } from '../../gql/graphql';
import { ROLE_OPTIONS } from './MemberRow';

/** "Manual" members are the ones added here: invited, or the owner who created the organization. */
const SOURCES: Record<string, MemberSource[]> = { SCIM: ['SCIM'], MANUAL: ['INVITE', 'OWNER'] };

/** The filters that pick one value from a list (each may be cleared). */
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

type Choices = Record<(typeof CHOICES)[number]['key'], string | null>;

/** The Members page's search and filters, and the server-side MemberFilter they make (the search debounced). */
export function useMemberFilter() {
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 250);
  const [choices, setChoices] = useState<Choices>({ status: null, role: null, source: null });
  const choose = (key: keyof Choices, value: string | null) => setChoices((c) => ({ ...c, [key]: value }));
  const { status, role, source } = choices;
  const filter: MemberFilter = {
    query: query || undefined,
    statuses: status ? [status as MemberStatus] : undefined,
    roles: role ? [role as MemberRole] : undefined,
    sources: source ? SOURCES[source] : undefined,
  };
  return { search, setSearch, choices, choose, filter };
}

export function MemberFilters({ state: s }: { state: ReturnType<typeof useMemberFilter> }) {
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <TextInput
        label="Search members"
        placeholder="E-mail or name"
        value={s.search}
        onChange={(e) => s.setSearch(e.currentTarget.value)}
        style={{ flex: '1 1 220px' }}
      />
      {CHOICES.map((c) => (
        <Select
          key={c.key}
          label={c.label}
          placeholder={c.placeholder}
          data={c.data}
          value={s.choices[c.key]}
          onChange={(v) => s.choose(c.key, v)}
          clearable
          w={c.width}
        />
      ))}
    </Group>
  );
}
