import { cpus, loadavg, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  postgres: string;
  platform: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews every figure. */
  loadAverage: { start: number; end: number };
}

export const load1 = () => Math.round(loadavg()[0] * 100) / 100;

export function machine(postgres: string, loadAtStart: number): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: postgres.split(' on ')[0],
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { start: loadAtStart, end: load1() },
  };
}

/** A performance target and whether this run met it (null: not measurable in this run). */
export interface Verdict {
  target: string;
  met: boolean | null;
  detail: string;
}

export interface Row {
  id: string;
  scenario: string;
  rps: number | null;
  p50: number | null;
  p99: number | null;
  requests: number;
  errors: number;
  /** ours / raw baseline successful requests per second. */
  ratio: number | null;
  target: Verdict | null;
  notes: string;
  statuses: string;
  seconds: number;
}

export interface Report {
  startedAt: string;
  mode: 'smoke' | 'full';
  options: Record<string, unknown>;
  machine: Machine;
  seed: Record<string, unknown>;
  rows: Row[];
  rss: { peakMb: number; afterStartMb: number; afterSyncCyclesMb: number[]; raw?: { peakMb: number } };
  targets: Verdict[];
  /** How the server stopped on SIGTERM: `graceful` within the grace period, else `killed` (SIGKILL). */
  shutdown: { graceful: boolean; seconds: number };
  totalSeconds: number;
}

const fmt = (n: number | null, digits = 1) => (n === null || !Number.isFinite(n) ? '-' : n.toFixed(digits));
export const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

function verdictText(v: Verdict | null): string {
  if (!v) return '';
  const mark = v.met === null ? 'n/a' : v.met ? 'met' : 'MISSED';
  return `${v.target}: ${mark}`;
}

function table(headers: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned.has(i) ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** The one table (Markdown, so it can be pasted into the README as is) plus RSS, targets and machine. */
export function render(report: Report): string {
  const out: string[] = [];
  const m = report.machine;
  out.push(`orgd bench (${report.mode}) — ${report.startedAt}, ${report.totalSeconds.toFixed(0)} s`);
  out.push(`machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, ${m.platform}, Node ${m.node}, ${m.postgres}`);
  // At the start the load is other work's; at the end it includes the bench's own.
  const busy = m.loadAverage.start > m.cpus * 0.5;
  out.push(
    `load average (1 min): ${m.loadAverage.start} before the run, ${m.loadAverage.end} at its end (includes the bench)${busy ? ' — WARNING: the machine was busy with other work before the run; figures are skewed' : ''}`,
  );
  out.push(
    `seed: ${Object.entries(report.seed)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );
  out.push('');
  out.push(
    table(
      ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'ratio to raw', 'target', 'notes'],
      report.rows.map((r) => [
        r.scenario,
        fmt(r.rps, r.rps !== null && r.rps < 10 ? 1 : 0),
        fmt(r.p50),
        fmt(r.p99),
        r.errors ? `${r.errors}/${r.requests}` : `0/${r.requests}`,
        r.ratio === null ? '' : `${(r.ratio * 100).toFixed(0)}%`,
        verdictText(r.target),
        r.notes,
      ]),
      new Set([1, 2, 3, 4, 5]),
    ),
  );
  out.push('');
  const cycles = report.rss.afterSyncCyclesMb.map((v) => `${v} MB`).join(' -> ');
  out.push(
    `server RSS: peak ${report.rss.peakMb} MB; after start ${report.rss.afterStartMb} MB; after each sync cycle ${cycles || '-'}`,
  );
  if (report.rss.raw) out.push(`raw baseline server RSS: peak ${report.rss.raw.peakMb} MB`);
  const sd = report.shutdown;
  out.push(
    sd.graceful
      ? `server shutdown on SIGTERM: graceful in ${sd.seconds.toFixed(1)} s`
      : `server shutdown on SIGTERM: NOT graceful — did not exit within ${sd.seconds.toFixed(0)} s of SIGTERM, killed with SIGKILL`,
  );
  out.push('');
  out.push('targets (reported, not asserted):');
  for (const t of report.targets)
    out.push(`  [${t.met === null ? 'n/a ' : t.met ? ' ok ' : 'MISS'}] ${t.target} — ${t.detail}`);
  const errored = report.rows.filter((r) => r.errors > 0);
  if (errored.length) {
    out.push('');
    out.push('responses per scenario where some failed (status×count):');
    for (const r of errored) out.push(`  ${r.scenario}: ${r.statuses}`);
  }
  return out.join('\n');
}

export function writeJson(file: string, report: Report): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
