// The rollup arithmetic the charts rely on: fixed latency buckets, quantiles from a
// histogram, and aggregation of a batch of decisions into one row per key.
import { describe, expect, it } from 'vitest';
import type { VerificationRecord } from '../src/projection/records.ts';
import { aggregateRollup } from '../src/projection/verificationBatch.ts';
import {
  emptyHistogram,
  histogramQuantile,
  latencyBucket,
  latencyBucketCount,
} from '../src/readModel/index.ts';

const record = (over: Partial<VerificationRecord>): VerificationRecord => ({
  seq: 1,
  eventId: 'e',
  occurredAt: new Date('2026-05-05T12:34:56Z'),
  day: '2026-05-05',
  groupId: '-1001',
  botId: '7001',
  userId: '1',
  username: null,
  firstName: null,
  outcome: 'verified',
  trigger: 'join',
  cached: false,
  latencyMs: 10,
  missingChannelIds: [],
  reason: null,
  ...over,
});

describe('latency histogram', () => {
  it('puts a latency in the bucket whose inclusive upper bound holds it', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(5)).toBe(0);
    expect(latencyBucket(6)).toBe(1);
    expect(latencyBucket(10_000)).toBe(latencyBucketCount - 2);
    expect(latencyBucket(10_001)).toBe(latencyBucketCount - 1);
  });

  it('reads p50 and p95 from bucket counts, capped by the observed maximum', () => {
    const hist = emptyHistogram();
    hist[latencyBucket(20)] = 90; // 90 calls in (10, 25]
    hist[latencyBucket(400)] = 10; // 10 calls in (250, 500]
    expect(histogramQuantile(hist, 0.5, 450)).toBe(25);
    expect(histogramQuantile(hist, 0.95, 450)).toBe(450);
    expect(histogramQuantile(emptyHistogram(), 0.95, 0)).toBeNull();
  });
});

describe('rollup aggregation', () => {
  it('adds a batch into one row per bucket, group, bot, outcome and cached', () => {
    const hour = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
    const rows = aggregateRollup(
      [
        record({ latencyMs: 3 }),
        record({ latencyMs: 30, occurredAt: new Date('2026-05-05T12:59:59Z') }),
        record({ cached: true }),
        record({ occurredAt: new Date('2026-05-05T13:00:00Z') }),
      ],
      hour,
    );
    expect(rows).toHaveLength(3);
    const first = rows[0]!;
    expect(first.bucket.toISOString()).toBe('2026-05-05T12:00:00.000Z');
    expect([first.count, first.latencySum, first.latencyMax]).toEqual([2, 33, 30]);
    expect(first.hist[latencyBucket(3)]).toBe(1);
    expect(first.hist[latencyBucket(30)]).toBe(1);
    expect(rows.map((r) => r.count)).toEqual([2, 1, 1]);
  });
});
