// The fixed latency buckets every rollup row carries: upper bounds in ms, inclusive, plus
// one overflow bucket. Fixed bounds make histograms of any rows add up element-wise, so a
// p95 over any period, group or bot is computed from the rollup without touching the log.

export const latencyBoundsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000] as const;
/** Buckets in a histogram: one per bound and the overflow. */
export const latencyBucketCount = latencyBoundsMs.length + 1;

/** The bucket a latency falls in (bounds are inclusive upper limits). */
export function latencyBucket(latencyMs: number): number {
  for (let i = 0; i < latencyBoundsMs.length; i += 1) {
    if (latencyMs <= latencyBoundsMs[i]!) return i;
  }
  return latencyBoundsMs.length;
}

export function emptyHistogram(): number[] {
  return new Array<number>(latencyBucketCount).fill(0);
}

/**
 * The q-quantile (0..1) of a histogram, as the upper bound of the bucket holding it (the
 * overflow bucket reports the observed maximum). Null when the histogram is empty.
 */
export function histogramQuantile(
  hist: readonly number[],
  q: number,
  maxMs: number,
): number | null {
  const total = hist.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i += 1) {
    seen += hist[i] ?? 0;
    if (seen >= rank) return Math.min(latencyBoundsMs[i] ?? maxMs, maxMs);
  }
  return maxMs;
}

/** SQL for one row's histogram from raw latencies (`count(*) filter` per bucket). */
export function histogramAggregateSql(column: string): string {
  const parts = latencyBoundsMs.map((bound, i) => {
    const lower = i === 0 ? '' : `${column} > ${latencyBoundsMs[i - 1]} and `;
    return `count(*) filter (where ${lower}${column} <= ${bound})`;
  });
  parts.push(`count(*) filter (where ${column} > ${latencyBoundsMs[latencyBoundsMs.length - 1]})`);
  return `array[${parts.join(', ')}]::bigint[]`;
}

/** SQL summing histograms column-wise: `array[sum(h[1]), …]` (cheaper than unnest). */
export function histogramSumSql(column: string): string {
  const parts = Array.from(
    { length: latencyBucketCount },
    (_, i) => `coalesce(sum(${column}[${i + 1}]), 0)`,
  );
  return `array[${parts.join(', ')}]::bigint[]`;
}

/** SQL adding two histograms element-wise (an upsert's `old + new`), no subquery. */
export function histogramAddSql(left: string, right: string): string {
  const parts = Array.from(
    { length: latencyBucketCount },
    (_, i) => `${left}[${i + 1}] + ${right}[${i + 1}]`,
  );
  return `array[${parts.join(', ')}]::bigint[]`;
}
