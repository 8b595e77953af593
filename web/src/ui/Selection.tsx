import { Button, Group, Paper, Text } from '@mantine/core';
import { type ReactNode, useCallback, useState } from 'react';

/** Which rows of a list are selected (by id), for actions on several at once. */
export function useRowSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  /** Every row matching the list's filter, beyond the page (by id), once asked for; null otherwise. */
  const [all, setAll] = useState<readonly string[] | null>(null);
  const toggle = useCallback(
    (id: string, on: boolean) =>
      setSelected((s) => {
        setAll(null);
        const next = new Set(s);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    [],
  );
  const setMany = useCallback(
    (ids: readonly string[], on: boolean) =>
      setSelected((s) => {
        setAll(null);
        const next = new Set(s);
        for (const id of ids)
          if (on) next.add(id);
          else next.delete(id);
        return next;
      }),
    [],
  );
  const clear = useCallback(() => {
    setSelected(new Set());
    setAll(null);
  }, []);
  return { selected, all, selectAll: setAll, toggle, setMany, clear };
}

export type RowSelection = ReturnType<typeof useRowSelection>;

/**
 * A row's checkbox. Native: a list mounts one per row, and a Mantine checkbox costs about as much to mount as the
 * rest of a row.
 */
export function SelectCheckbox({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <input
      type="checkbox"
      className="row-checkbox"
      aria-label={label}
      checked={checked}
      onChange={(e) => onChange(e.currentTarget.checked)}
    />
  );
}

/** The header's checkbox: every row of the page on or off (mixed while some are). */
export function SelectPageCheckbox({
  ids,
  selection,
  noun,
}: {
  ids: readonly string[];
  selection: RowSelection;
  noun: string;
}) {
  const on = ids.filter((id) => selection.selected.has(id)).length;
  return (
    <input
      type="checkbox"
      className="row-checkbox"
      aria-label={`Select all ${noun} on this page`}
      checked={ids.length > 0 && on === ids.length}
      ref={(el) => {
        if (el) el.indeterminate = on > 0 && on < ids.length;
      }}
      onChange={(e) => selection.setMany(ids, e.currentTarget.checked)}
    />
  );
}

/** Above a list while rows are selected: how many, what can be done to them, and a way out. */
export function BulkBar({
  count,
  noun,
  onClear,
  children,
}: {
  count: number;
  noun: string;
  onClear: () => void;
  /** The actions, each applying to the selected rows it fits. */
  children: ReactNode;
}) {
  if (count === 0) return null;
  return (
    <Paper withBorder p="xs" role="region" aria-label="Selected">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={500} aria-live="polite">
          {count} {noun} selected
        </Text>
        {children}
        <Button size="xs" variant="subtle" onClick={onClear}>
          Clear selection
        </Button>
      </Group>
    </Paper>
  );
}
