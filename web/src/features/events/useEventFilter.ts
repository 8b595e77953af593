import { useSearchParams } from 'react-router';
import type { AuditEventFilter, AuditSource } from '../../gql/graphql';
import { exportQuery } from '../../ui/ExportLink';

export const EVENTS_PAGE_KEY = 'page';
/** The filters typed or picked as one value: the person, the actor, the first and the last day. */
type TextKey = 'person' | 'actor' | 'from' | 'to';

/** A day of a date input ("2026-12-07") as the instant it starts, in the viewer's time zone. */
const dayStart = (day: string | null, plusDays = 0) => {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

/**
 * The event log's filters, kept in the address (reload, Back and a shared link keep them): event types, the
 * person it was about, who did it, where it came from, and a range of days ("to" includes its day).
 */
export function useEventFilter() {
  const [params, setParams] = useSearchParams();
  const change = (apply: (p: URLSearchParams) => void) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      apply(next);
      next.delete(EVENTS_PAGE_KEY); // a new filter starts from the first page
      return next;
    });
  const setList = (key: string, values: string[]) =>
    change((p) => {
      p.delete(key);
      for (const v of values) p.append(key, v);
    });
  const text = (key: TextKey) => params.get(key) ?? '';
  const types = params.getAll('type');
  const sources = params.getAll('source') as AuditSource[];
  const filter: AuditEventFilter = {
    types: types.length ? types : undefined,
    sources: sources.length ? sources : undefined,
    person: text('person').trim() || undefined,
    actor: text('actor').trim() || undefined,
    from: dayStart(text('from')),
    to: dayStart(text('to'), 1),
  };
  return {
    types,
    sources,
    text,
    setTypes: (values: string[]) => setList('type', values),
    setSources: (values: string[]) => setList('source', values),
    setText: (key: TextKey, value: string) => change((p) => (value ? p.set(key, value) : p.delete(key))),
    filter,
  };
}

export type EventFilterState = ReturnType<typeof useEventFilter>;

/** The events CSV of what the log shows. */
export const eventsCsv = (orgId: string, f: AuditEventFilter) =>
  `/export/organizations/${orgId}/events.csv${exportQuery({
    types: f.types,
    sources: f.sources,
    person: f.person,
    actor: f.actor,
    from: f.from,
    to: f.to,
  })}`;
