import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import type { UserErrorLike } from './UserErrors';

/** What every mutation payload carries: the reasons it refused (the request as a whole). */
interface Payload {
  userErrors: readonly UserErrorLike[];
}

interface RunOptions<P> {
  /**
   * The rows (list items) the change is about: their errors show in the rows, not as a form error. A single-row
   * mutation's userErrors all go to its row.
   */
  rows?: readonly string[];
  /** A bulk payload's outcome per row: `[rowId, userErrors]` pairs; rows not listed succeeded. */
  perRow?: (payload: P) => [rowId: string, errors: readonly UserErrorLike[]][];
}

export interface ActionOutcome<P> {
  /** The payload when the server answered (even with userErrors), else null. */
  payload: P | null;
  /** The rows without an error (all `rows` when the change was about rows). */
  succeeded: string[];
  /** Nothing refused: no userError, no failed request. */
  ok: boolean;
}

const messages = (errors: readonly UserErrorLike[]) => errors.map((e) => e.message).join(' ');
const failure = (err: unknown): UserErrorLike[] => [
  { code: 'REQUEST_FAILED', message: err instanceof Error ? err.message : String(err) },
];

/**
 * The console's one way to change something: mutate, read the payload's userErrors, refetch what shows the change,
 * and put each error where it belongs: beside the form's field (`errors` with `fieldError`), or in the row it is
 * about (`rowErrors`). A failed request counts as an error of the same place, so no page repeats it elsewhere.
 */
export function useMutationAction(refetch?: () => Promise<unknown>) {
  const apollo = useApolloClient();
  const [errors, setErrors] = useState<readonly UserErrorLike[]>([]);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(0);

  async function run<TData, TVariables extends OperationVariables, P extends Payload>(
    mutation: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    payloadOf: (data: TData) => P | null | undefined,
    { rows, perRow }: RunOptions<P> = {},
  ): Promise<ActionOutcome<P>> {
    if (rows) setRowErrors((e) => Object.fromEntries(Object.entries(e).filter(([id]) => !rows.includes(id))));
    else setErrors([]);
    setRunning((n) => n + 1);
    let payload: P | null = null;
    let requestErrors: readonly UserErrorLike[];
    try {
      const r = await apollo.mutate({ mutation, variables } as Parameters<typeof apollo.mutate<TData, TVariables>>[0]);
      payload = (r.data && payloadOf(r.data as TData)) || null;
      requestErrors = payload ? payload.userErrors : failure(r.error ?? 'The server gave no answer.');
    } catch (err) {
      requestErrors = failure(err);
    } finally {
      setRunning((n) => n - 1);
    }
    const failed = new Map<string, string>();
    if (rows) {
      const rowPairs = payload && perRow ? perRow(payload) : [];
      for (const [id, errs] of rowPairs) if (errs.length) failed.set(id, messages(errs));
      // Errors about the request as a whole (or a single row's) fall on every row it was about.
      if (requestErrors.length && (!perRow || !rowPairs.length || !payload))
        for (const id of rows) failed.set(id, messages(requestErrors));
      setRowErrors((e) => ({ ...e, ...Object.fromEntries(failed) }));
    } else setErrors(requestErrors);
    if (refetch) await refetch();
    const succeeded = (rows ?? []).filter((id) => !failed.has(id));
    return { payload, succeeded, ok: rows ? failed.size === 0 : requestErrors.length === 0 };
  }

  return {
    run,
    /** The last form-level mutation's errors (for `fieldError` and `FormErrors`). */
    errors,
    rowErrors,
    loading: running > 0,
    reset: () => {
      setErrors([]);
      setRowErrors({});
    },
  };
}

export type MutationAction = ReturnType<typeof useMutationAction>;
