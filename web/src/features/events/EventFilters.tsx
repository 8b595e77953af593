import { Group, MultiSelect, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import type { EventFilterState } from './useEventFilter';

export const EVENT_TYPES = [
  'member.invited',
  'member.provisioned',
  'member.reinvited',
  'member.accepted',
  'member.confirmed',
  'member.revoked',
  'member.restored',
  'member.restore_held_back',
  'member.removed',
  'member.updated',
  'member.groups_set',
  'member.role_source_set',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.role_mapping_set',
  'group.role_mapping_cleared',
  'scim.enabled',
  'scim.disabled',
  'scim.key_rotated',
  'scim.settings_updated',
  'organization.created',
  'organization.updated',
];

const SOURCES = [
  { value: 'CONSOLE', label: 'Console' },
  { value: 'SCIM', label: 'SCIM (identity provider)' },
  { value: 'CLI', label: 'orgctl' },
  { value: 'SYSTEM', label: 'System' },
];

/** A text filter that waits for typing to stop before it changes the address (and the query). */
function DebouncedText(props: { label: string; placeholder: string; value: string; onChange: (v: string) => void }) {
  const [typed, setTyped] = useState(props.value);
  const [settled] = useDebouncedValue(typed, 300);
  useEffect(() => {
    if (settled !== props.value) props.onChange(settled);
  }, [settled]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => setTyped(props.value), [props.value]);
  return (
    <TextInput
      label={props.label}
      placeholder={props.placeholder}
      value={typed}
      onChange={(e) => setTyped(e.currentTarget.value)}
      w={220}
    />
  );
}

/** The event log's filters: type, person, actor, source, and a range of days. */
export function EventFilters({ state: s }: { state: EventFilterState }) {
  return (
    <Group align="flex-end" wrap="wrap">
      <MultiSelect
        label="Event types"
        placeholder={s.types.length ? undefined : 'All events'}
        data={EVENT_TYPES}
        value={s.types}
        onChange={s.setTypes}
        clearable
        searchable
        w={320}
      />
      <DebouncedText
        label="About"
        placeholder="Person's e-mail"
        value={s.text('person')}
        onChange={(v) => s.setText('person', v)}
      />
      <DebouncedText
        label="By"
        placeholder="Who did it"
        value={s.text('actor')}
        onChange={(v) => s.setText('actor', v)}
      />
      <MultiSelect
        label="Source"
        placeholder={s.sources.length ? undefined : 'Any source'}
        data={SOURCES}
        value={s.sources}
        onChange={s.setSources}
        clearable
        w={220}
      />
      <TextInput
        type="date"
        label="From"
        value={s.text('from')}
        onChange={(e) => s.setText('from', e.currentTarget.value)}
      />
      <TextInput type="date" label="To" value={s.text('to')} onChange={(e) => s.setText('to', e.currentTarget.value)} />
    </Group>
  );
}
