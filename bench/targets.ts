import { type BenchOptions } from './options';
import { type Row, type Verdict } from './report';

const count = (n: number) => n.toLocaleString('en-US');
export const fmtMs = (n: number | null) => (n === null ? '-' : n.toFixed(1));

/** Null when the row has figures to judge, else why not (nothing succeeded). */
export function unmeasured(row: Row): string | null {
  if (row.rps && row.p50 !== null) return null;
  const unanswered = /(\d+) unanswered/.exec(row.notes)?.[1];
  return `no successful response (${row.errors} errors${row.statuses ? `: ${row.statuses}` : ''}${unanswered ? `; ${unanswered} requests still unanswered when the run ended` : ''})`;
}

/** The performance targets. Figures are judged only when measured; "n/a" says why not. */
export function evaluateTargets(
  opts: BenchOptions,
  r: {
    lookupBig: Row;
    lookupSmall: Row;
    pageBig: Row;
    pageSmall: Row;
    createRow: Row;
    syncRows: Row[];
    webhookSyncRow: Row;
    /** Median wall time of the completed syncs without an endpoint; null when none completed. */
    plainSeconds: number | null;
    deliveryRow: Row;
    /** groupRoleMappingSet ADMIN / groupRoleMappingClear on a group of `opts.roleMapping.size` members. */
    mappingSetRow: Row;
    mappingClearRow: Row;
    /** The SCIMMY + Express peer's lookup and create (skipped rows when it is not installed). */
    lookupPeer: Row;
    createPeer: Row;
  },
  peakMb: number,
  afterSync: number[],
): Verdict[] {
  const verdicts: Verdict[] = [];
  const add = (target: string, row: Row | null, judge: () => { met: boolean; detail: string }) => {
    const missing = row ? unmeasured(row) : null;
    const v: Verdict = missing ? { target, met: null, detail: missing } : { target, ...judge() };
    verdicts.push(v);
    if (row && !row.target) row.target = v;
    return v;
  };
  const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(0)}%`);
  const size = count(opts.members);

  add('lookup >= 40% of raw, p99 <= 50 ms', r.lookupBig, () => {
    const met = r.lookupBig.ratio !== null && r.lookupBig.ratio >= 0.4 && r.lookupBig.p99! <= 50;
    return { met, detail: `${pct(r.lookupBig.ratio)} of raw, p99 ${fmtMs(r.lookupBig.p99)} ms at ${size} members` };
  });
  add('create >= 30% of raw', r.createRow, () => ({
    met: r.createRow.ratio !== null && r.createRow.ratio >= 0.3,
    detail: `${pct(r.createRow.ratio)} of raw (${r.createRow.rps?.toFixed(0)} vs ${r.createRow.ratio ? (r.createRow.rps! / r.createRow.ratio).toFixed(0) : '-'} req/s)`,
  }));
  const versusPeer = (what: string, ours: Row, peer: Row, factor: number) =>
    add(`${what} >= ${factor}× the SCIMMY peer`, unmeasured(peer) ? peer : ours, () => {
      const x = ours.rps! / peer.rps!;
      return {
        met: x >= factor,
        detail: `${x.toFixed(2)}× (${ours.rps!.toFixed(0)} vs ${peer.rps!.toFixed(0)} req/s; p99 ${fmtMs(ours.p99)} vs ${fmtMs(peer.p99)} ms)`,
      };
    });
  versusPeer('lookup', r.lookupBig, r.lookupPeer, 2);
  versusPeer('create', r.createRow, r.createPeer, 1.2);
  for (const row of r.syncRows) {
    add(`sync of ${count(opts.sync.users)} users < 60 s`, row, () => ({
      met: row.errors === 0 && row.seconds < 60 && !row.notes.includes('STOPPED'),
      detail: `${row.notes.includes('STOPPED') ? `stopped at ${row.seconds.toFixed(1)} s (see notes)` : `${row.seconds.toFixed(1)} s`}, ${row.rps?.toFixed(0)} req/s, ${row.errors} errors`,
    }));
  }
  const hook = r.webhookSyncRow;
  const plain = r.plainSeconds;
  const within = 'sync with one webhook endpoint within 10% of without';
  if (plain === null) verdicts.push({ target: within, met: null, detail: 'no sync without an endpoint completed' });
  else
    add(within, hook, () => ({
      met: hook.errors === 0 && !hook.notes.includes('STOPPED') && hook.seconds <= plain * 1.1,
      detail: `${hook.seconds.toFixed(1)} s vs ${plain.toFixed(1)} s without (${pct(hook.seconds / plain)}), ${hook.errors} errors`,
    }));
  const delivered = r.deliveryRow;
  add('every webhook event delivered (outbox drained)', delivered, () => ({
    met: delivered.errors === 0,
    detail: `${delivered.rps!.toFixed(0)} events/s to a local receiver; lag p50 ${fmtMs(delivered.p50)} ms, p99 ${fmtMs(delivered.p99)} ms; ${delivered.errors} still pending`,
  }));
  for (const row of [r.mappingSetRow, r.mappingClearRow]) {
    add(
      `${row.id === 'role-mapping-set' ? 'role mapping set' : 'role mapping clear'} on ${count(opts.roleMapping.size)} members < 1 s`,
      row,
      () => ({
        met:
          row.errors === 0 &&
          row.p50! < 1000 &&
          row.notes.includes(`${opts.roleMapping.rounds}/${opts.roleMapping.rounds} rounds verified`),
        detail: `median ${fmtMs(row.p50)} ms, max ${fmtMs(row.p99)} ms over ${row.requests - row.errors} rounds; ${row.notes.split('; ')[1] ?? ''}`,
      }),
    );
  }
  add('members page p99 <= 100 ms', r.pageBig, () => ({
    met: r.pageBig.p99! <= 100,
    detail: `p99 ${fmtMs(r.pageBig.p99)} ms at ${size} members`,
  }));
  // Flat: the big organization's p50 within 1.5× (or +2 ms) of the small one's.
  const flat = (what: string, big: Row, small: Row) =>
    add(`${what} latency flat ${count(opts.smallMembers)} -> ${size}`, unmeasured(small) ? small : big, () => {
      const limit = Math.max(small.p50! * 1.5, small.p50! + 2);
      return {
        met: big.p50! <= limit,
        detail: `p50 ${fmtMs(small.p50)} -> ${fmtMs(big.p50)} ms, p99 ${fmtMs(small.p99)} -> ${fmtMs(big.p99)} ms (flat = p50 within max(1.5×, +2 ms))`,
      };
    });
  const lookupFlat = flat('lookup', r.lookupBig, r.lookupSmall);
  const pageFlat = flat('members page', r.pageBig, r.pageSmall);
  if (!r.lookupSmall.target) r.lookupSmall.target = lookupFlat;
  if (!r.pageSmall.target) r.pageSmall.target = pageFlat;
  verdicts.push({ target: 'server RSS < 300 MB', met: peakMb < 300, detail: `peak ${peakMb} MB` });
  if (afterSync.length >= 3) {
    const growth = afterSync[afterSync.length - 1] - afterSync[0];
    verdicts.push({
      target: 'no RSS growth over three sync cycles',
      met: growth <= afterSync[0] * 0.1,
      detail: `${afterSync.join(' -> ')} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB; allowed +10%)`,
    });
  } else
    verdicts.push({
      target: 'no RSS growth over three sync cycles',
      met: null,
      detail: `${afterSync.length} cycle(s) in this mode`,
    });
  return verdicts;
}
