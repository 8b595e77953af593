/** Latencies and outcomes of one scenario. Percentiles cover successful responses only. */
export class Recorder {
  private latencies: number[] = [];
  ok = 0;
  /** Non-2xx responses and 2xx responses whose body reports an error (GraphQL `errors`). */
  failed = 0;
  /** Transport errors and timeouts (no response). */
  transportErrors = 0;
  readonly statuses = new Map<string, number>();

  record(status: number, ms: number, bodyError = false): void {
    const good = status >= 200 && status < 300 && !bodyError;
    const key = bodyError && status < 300 ? `${status}+errors` : String(status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (good) {
      this.ok++;
      this.latencies.push(ms);
    } else this.failed++;
  }

  transportError(kind = 'transport'): void {
    this.transportErrors++;
    this.statuses.set(kind, (this.statuses.get(kind) ?? 0) + 1);
  }

  get errors(): number {
    return this.failed + this.transportErrors;
  }

  get total(): number {
    return this.ok + this.errors;
  }

  percentile(p: number): number | null {
    return percentile(this.latencies, p);
  }

  /** e.g. "201×5400, 409×2" — the outcomes that were not plain successes first. */
  statusSummary(): string {
    return [...this.statuses.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}×${v}`)
      .join(', ');
  }

  merge(other: Recorder): void {
    for (const ms of other.latencies) this.latencies.push(ms);
    this.ok += other.ok;
    this.failed += other.failed;
    this.transportErrors += other.transportErrors;
    for (const [k, v] of other.statuses) this.statuses.set(k, (this.statuses.get(k) ?? 0) + v);
  }
}

export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values: number[]): number | null => percentile(values, 50);
