import { Button } from '@mantine/core';
import { BulkBar, type RowSelection } from '../../ui/Selection';
import type { Member } from './queries';
import type { MemberActions } from './useMemberActions';

const ACTIONS = [
  { key: 'confirm', label: 'Confirm' },
  { key: 'reinvite', label: 'Reinvite' },
  { key: 'revoke', label: 'Revoke access' },
  { key: 'restore', label: 'Restore access' },
  { key: 'remove', label: 'Remove' },
] as const;

/** The actions on the selected members of the page, each counting the members it fits. */
export function MemberBulkBar({
  members,
  selection,
  actions,
}: {
  members: readonly Member[];
  selection: RowSelection;
  actions: MemberActions;
}) {
  const selected = members.filter((m) => selection.selected.has(m.id));
  const fits = actions.many(selected);
  return (
    <BulkBar count={selected.length} noun={selected.length === 1 ? 'member' : 'members'} onClear={selection.clear}>
      {ACTIONS.map(({ key, label }) => (
        <Button
          key={key}
          size="xs"
          variant={key === 'confirm' ? 'filled' : 'default'}
          disabled={fits[key].length === 0}
          onClick={() => void fits.run[key](fits[key])}
        >
          {label} ({fits[key].length})
        </Button>
      ))}
    </BulkBar>
  );
}
