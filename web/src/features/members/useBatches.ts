import { useState } from 'react';
import type { UserErrorLike } from '../../ui/UserErrors';
import type { MutationAction } from '../../ui/useMutationAction';
import { BATCH_SIZE, type BulkKind, type BulkMutation, type BulkOptions, bulkRequest } from './bulkActions';
import type { BulkPayload } from './queries';

export interface BatchProgress {
  done: number;
  total: number;
  /** The members it failed for, with why. */
  failures: { memberId: string; message: string }[];
  running: boolean;
}

const messages = (errors: readonly UserErrorLike[]) => errors.map((e) => e.message).join(' ');
/** A bulk payload is the answer's one field. */
const payloadOf = (data: Record<string, BulkPayload>) => Object.values(data)[0];
const perMember = (p: BulkPayload) =>
  p.results.map((r): [string, BulkPayload['userErrors']] => [r.memberId, r.userErrors]);

/**
 * Runs a bulk action over any number of members, 100 ids a call, one call after the other: the progress counts
 * the members handled, and each member's failure is kept to be listed (and shown in its row when on screen).
 */
export function useBatches(organizationId: string, action: MutationAction) {
  const [progress, setProgress] = useState<BatchProgress | null>(null);

  const run = async (kind: BulkKind, ids: readonly string[], options: BulkOptions) => {
    const failures: BatchProgress['failures'] = [];
    let succeeded = 0;
    setProgress({ done: 0, total: ids.length, failures, running: true });
    for (let i = 0; i < ids.length; i += BATCH_SIZE) {
      const batch = ids.slice(i, i + BATCH_SIZE);
      const { mutation, input } = bulkRequest(kind, organizationId, batch, options);
      const outcome = await action.run(mutation as BulkMutation, { input }, payloadOf, {
        rows: batch,
        perRow: perMember,
      });
      succeeded += outcome.succeeded.length;
      const rows = outcome.payload ? perMember(outcome.payload) : [];
      for (const [memberId, errors] of rows) if (errors.length) failures.push({ memberId, message: messages(errors) });
      if (!outcome.payload || (!rows.length && outcome.payload.userErrors.length)) {
        const why = outcome.payload ? messages(outcome.payload.userErrors) : 'The request failed.';
        for (const memberId of batch) failures.push({ memberId, message: why });
      }
      setProgress({ done: i + batch.length, total: ids.length, failures: [...failures], running: true });
    }
    setProgress({ done: ids.length, total: ids.length, failures, running: false });
    return { succeeded, failures };
  };

  return { run, progress, reset: () => setProgress(null) };
}
