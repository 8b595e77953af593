import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import type { MemberFilter } from '../../gql/graphql';
import type { Org } from '../../shell/OrgScope';
import type { MutationAction } from '../../ui/useMutationAction';
import { BULK_ACTIONS, type BulkKind, type BulkOptions, membersCount, NO_OPTIONS } from './bulkActions';
import type { BulkRequest } from './BulkActionDialog';
import { type Member, MEMBER_IDS } from './queries';
import { useBatches } from './useBatches';

/**
 * Actions on members through the bulk mutations, whatever their number: a dialog naming the count (and asking a
 * reason, a group or a role), batches of 100 with progress, a notice of what succeeded, the failures listed.
 */
export function useBulkDialog(org: Org, action: MutationAction, setNotice: (notice: string | null) => void) {
  const apollo = useApolloClient();
  const batches = useBatches(org.id, action);
  const [request, setRequest] = useState<BulkRequest | null>(null);
  /** Member addresses by id, of the members a dialog was opened about (to list failures by who). */
  const [known] = useState(() => new Map<string, string>());
  const [serial, setSerial] = useState(0);

  const open = (kind: BulkKind, ids: readonly string[], members: readonly Member[] = []) => {
    for (const m of members) known.set(m.id, m.email);
    batches.reset();
    setNotice(null);
    const managedBy = members.find((m) => m.managedBy && ids.includes(m.id))?.managedBy ?? null;
    const who = ids.length === 1 ? members.find((m) => m.id === ids[0])?.email : undefined;
    setSerial(serial + 1);
    setRequest({ kind, ids, managedBy, who, serial: serial + 1 });
  };

  const run = async (options: BulkOptions) => {
    if (!request) return;
    const { succeeded, failures } = await batches.run(request.kind, request.ids, options);
    if (succeeded) setNotice(`${BULK_ACTIONS[request.kind].done}: ${membersCount(succeeded)}.`);
    // The dialog stays open only to list what failed.
    if (!failures.length) setRequest(null);
  };

  /** An action on one member that asks nothing first (confirm, restore, reinvite): its error shows in its row. */
  const runOne = async (kind: BulkKind, m: Member) => {
    setNotice(null);
    const { succeeded } = await batches.run(kind, [m.id], NO_OPTIONS);
    batches.reset();
    if (succeeded) setNotice(`${BULK_ACTIONS[kind].done}: ${membersCount(1)}.`);
  };

  /**
   * Every member matching `filter`, however many, for "select all" and "Confirm all accepted": the server hands the
   * ids out a page at a time; null when a page could not be read. Not cached: a selection is read fresh each time.
   */
  const idsMatching = async (filter: MemberFilter): Promise<{ ids: string[]; totalCount: number } | null> => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await idsPage(filter, after);
      if (!page) return null;
      ids.push(...page.ids);
      if (!page.hasNextPage || !page.endCursor) return { ids, totalCount: page.totalCount };
      after = page.endCursor;
    }
  };

  const idsPage = async (filter: MemberFilter, after: string | null) => {
    const variables = { id: org.id, filter, after };
    const r = await apollo.query({ query: MEMBER_IDS, variables, fetchPolicy: 'no-cache' });
    return r.data?.organization?.memberIds ?? null;
  };

  return {
    open,
    runOne,
    idsMatching,
    request,
    progress: batches.progress,
    run,
    close: () => setRequest(null),
    emailOf: (id: string) => known.get(id) ?? null,
  };
}
