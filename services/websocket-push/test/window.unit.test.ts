// Which rollup and first bucket a period reads: whole hours for 24h, whole UTC days beyond.
import { describe, expect, it } from 'vitest';
import { periodWindow, totalsWindow } from '../src/domain/window.ts';

const now = new Date('2026-06-15T12:34:56Z');

describe('period windows', () => {
  it('24h is the current hour and the 23 before it, per hour', () => {
    expect(periodWindow('24h', now)).toEqual({
      grain: 'hour',
      from: new Date('2026-06-14T13:00:00Z'),
      granularity: 'hour',
    });
  });

  it('7d is today and the 6 days before it, per day unless hours are asked for', () => {
    expect(periodWindow('7d', now)).toEqual({
      grain: 'day',
      from: new Date('2026-06-09T00:00:00Z'),
      granularity: 'day',
    });
    expect(periodWindow('7d', now, 'hour').grain).toBe('hour');
    expect(periodWindow('90d', now, 'week')).toMatchObject({
      grain: 'day',
      granularity: 'week',
    });
  });

  it('totals read the coarsest rollup covering the period', () => {
    expect(totalsWindow('24h', now).grain).toBe('hour');
    expect(totalsWindow('30d', now).from).toEqual(new Date('2026-05-17T00:00:00Z'));
  });
});
