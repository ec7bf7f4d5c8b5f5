// Which rollup grain answers a period, and from which bucket on. Pure: the clock is passed in.
// A period ending now covers whole buckets: "24h" is the current hour and the 23 before it
// (hour rollup, series per hour); "7d" is today and the 6 days before it (day rollup,
// series per day like the earlier design's charts), and so on.
import type { Granularity, Period } from '../http/querySchemas.ts';

/** The rollups' grain a window reads: hour rows, or day rows where the rollup has them. */
export type Grain = 'hour' | 'day';

export interface Window {
  readonly grain: Grain;
  /** First bucket start included. */
  readonly from: Date;
  /** How series buckets are cut. */
  readonly granularity: Granularity;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const periodDays: Record<Exclude<Period, '24h'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

export const hourStart = (at: Date) => new Date(Math.floor(at.getTime() / HOUR) * HOUR);
export const dayStart = (at: Date) => new Date(Math.floor(at.getTime() / DAY) * DAY);

/** The window of a period for totals, or for a series at the given granularity. */
export function periodWindow(period: Period, now: Date, granularity?: Granularity): Window {
  const cut = granularity ?? (period === '24h' ? 'hour' : 'day');
  if (period === '24h') {
    return {
      grain: 'hour',
      from: new Date(hourStart(now).getTime() - 23 * HOUR),
      granularity: cut === 'hour' ? 'hour' : cut,
    };
  }
  const from = new Date(dayStart(now).getTime() - (periodDays[period] - 1) * DAY);
  return {
    grain: cut === 'hour' ? 'hour' : 'day',
    from,
    granularity: cut,
  };
}

/** Totals over a period read the coarsest rollup that covers it exactly. */
export function totalsWindow(period: Period, now: Date): Window {
  return periodWindow(period, now, period === '24h' ? 'hour' : 'day');
}
