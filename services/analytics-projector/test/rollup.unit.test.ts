// The rollup arithmetic the charts rely on: fixed latency buckets, quantiles from a
// histogram (the batch's aggregation into rows is SQL: projector.int checks every rollup).
import { describe, expect, it } from 'vitest';
import {
  emptyHistogram,
  histogramQuantile,
  latencyBucket,
  latencyBucketCount,
} from '../src/readModel/index.ts';

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
