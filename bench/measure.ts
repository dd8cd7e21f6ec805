/**
 * Timing helpers shared by the bench scripts: percentiles over repeated runs, with a time
 * budget so slow cases still finish, and the process's memory after a full GC.
 */

export interface Latency {
  /** Milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  /** Runs measured (after warm-up). */
  n: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, at)]!;
}

export function summarise(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean, n: sorted.length };
}

/**
 * Runs `body` a few times to warm up, then until `maxRuns` or `budgetMs` (at least
 * `minRuns`), and summarises the run times.
 */
export async function time(
  body: () => Promise<unknown>,
  { warmup = 3, minRuns = 10, maxRuns = 300, budgetMs = 1500 } = {},
): Promise<Latency> {
  for (let k = 0; k < warmup; k++) await body();
  const samples: number[] = [];
  const started = performance.now();
  while (
    samples.length < minRuns ||
    (samples.length < maxRuns && performance.now() - started < budgetMs)
  ) {
    const t0 = performance.now();
    await body();
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

/** RSS and heap in MB after a full collection (run node with --expose-gc). */
export function memoryMb(): { rss: number; heap: number; external: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1e6);
  return { rss: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external + m.arrayBuffers) };
}
