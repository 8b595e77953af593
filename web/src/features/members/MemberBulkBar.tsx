import { Button } from '@mantine/core';
import { useState } from 'react';
import type { MemberFilter } from '../../gql/graphql';
import { BulkBar, type RowSelection } from '../../ui/Selection';
import { BULK_ACTIONS, type BulkKind } from './bulkActions';
import type { Member } from './queries';
import type { MemberActions } from './useMemberActions';

const KINDS: BulkKind[] = [
  'confirm',
  'reinvite',
  'sendInvitation',
  'revoke',
  'restore',
  'remove',
  'addToGroup',
  'changeRole',
];

/**
 * The actions on the selected members, each counting the members it fits: the rows of the page, or every member
 * matching the filter once "Select all N matching" is asked (then the server says, per member, what it refused).
 */
export function MemberBulkBar({
  members,
  total,
  filter,
  selection,
  actions,
}: {
  members: readonly Member[];
  /** How many members match the filter, on every page. */
  total: number;
  filter: MemberFilter;
  selection: RowSelection;
  actions: MemberActions;
}) {
  const selected = members.filter((m) => selection.selected.has(m.id));
  const fits = actions.many(selected);
  const all = selection.all;
  const count = all ? all.length : selected.length;
  const [selecting, setSelecting] = useState(false);
  const selectAll = async () => {
    setSelecting(true);
    try {
      const list = await actions.bulk.idsMatching(filter);
      if (list) selection.selectAll(list.ids);
    } finally {
      setSelecting(false);
    }
  };
  return (
    <BulkBar count={count} noun={count === 1 ? 'member' : 'members'} onClear={selection.clear}>
      {!all && selected.length === members.length && total > members.length && (
        <Button size="xs" variant="light" loading={selecting} onClick={() => void selectAll()}>
          Select all {total} matching the filter
        </Button>
      )}
      {KINDS.map((kind) => {
        const ids = all ?? fits[kind];
        return (
          <Button
            key={kind}
            size="xs"
            variant={kind === 'confirm' ? 'filled' : 'default'}
            disabled={ids.length === 0}
            onClick={() => actions.bulk.open(kind, ids, members)}
          >
            {BULK_ACTIONS[kind].label} ({ids.length})
          </Button>
        );
      })}
    </BulkBar>
  );
}
