import { describe, expect, it } from 'vitest';
import {
  bucketLabel,
  bucketStarts,
  bucketTitle,
  fillBuckets,
  latencyBucketLabels,
} from './series.ts';

const now = Date.parse('2026-11-22T14:37:00Z'); // a Sunday
const iso = (ms: number) => new Date(ms).toISOString();

describe('bucketStarts', () => {
  it('24h is the current hour and the 23 before it', () => {
    const starts = bucketStarts('24h', 'hour', now);
    expect(starts).toHaveLength(24);
    expect(iso(starts[0] ?? 0)).toBe('2026-11-21T15:00:00.000Z');
    expect(iso(starts.at(-1) ?? 0)).toBe('2026-11-22T14:00:00.000Z');
  });

  it('7d per day is today and the 6 days before it', () => {
    const starts = bucketStarts('7d', 'day', now).map(iso);
    expect(starts).toHaveLength(7);
    expect(starts[0]).toBe('2026-11-16T00:00:00.000Z');
    expect(starts.at(-1)).toBe('2026-11-22T00:00:00.000Z');
  });

  it('7d per hour runs from the first day’s midnight to the current hour', () => {
    const starts = bucketStarts('7d', 'hour', now);
    expect(starts).toHaveLength(6 * 24 + 15);
  });

  it('weeks start on Monday, like date_trunc(week)', () => {
    const starts = bucketStarts('30d', 'week', now).map(iso);
    // 30 days back from Nov 22 is Oct 24 (a Saturday): its week began Monday Oct 19.
    expect(starts[0]).toBe('2026-10-19T00:00:00.000Z');
    expect(starts.at(-1)).toBe('2026-11-16T00:00:00.000Z');
    expect(starts).toHaveLength(5);
  });
});

describe('fillBuckets', () => {
  it('puts the API’s rows in their buckets and zero rows in the gaps, oldest first', () => {
    const starts = bucketStarts('7d', 'day', now);
    const rows = fillBuckets(
      [
        { bucket: '2026-11-22T00:00:00.000Z', n: 3 },
        { bucket: '2026-11-18T00:00:00.000Z', n: 1 },
      ],
      starts,
      (bucket) => ({ bucket, n: 0 }),
    );
    expect(rows.map((r) => r.n)).toEqual([0, 0, 1, 0, 0, 0, 3]);
    expect(rows[0]?.bucket).toBe('2026-11-16T00:00:00.000Z');
  });

  it('keeps a row the API sent outside the expected buckets', () => {
    const rows = fillBuckets([{ bucket: '2026-11-15T00:00:00.000Z', n: 2 }], [now], (bucket) => ({
      bucket,
      n: 0,
    }));
    expect(rows.map((r) => r.n)).toEqual([2, 0]);
  });
});

describe('labels', () => {
  it('names buckets for their granularity in UTC', () => {
    expect(bucketLabel('2026-11-22T14:00:00.000Z', 'hour')).toBe('14:00');
    expect(bucketLabel('2026-11-22T00:00:00.000Z', 'day')).toBe('Nov 22');
    expect(bucketLabel('2026-11-16T00:00:00.000Z', 'week')).toBe('Wk Nov 16');
    expect(bucketTitle('2026-11-22T14:00:00.000Z', 'hour')).toBe('Nov 22, 14:00 UTC');
    expect(bucketTitle('2026-11-16T00:00:00.000Z', 'week')).toBe('Week of Nov 16');
  });

  it('names latency buckets by their upper bound, the last one open', () => {
    expect(latencyBucketLabels([{ le_ms: 10 }, { le_ms: 50 }, { le_ms: null }])).toEqual([
      '≤ 10 ms',
      '≤ 50 ms',
      '> 50 ms',
    ]);
  });
});
