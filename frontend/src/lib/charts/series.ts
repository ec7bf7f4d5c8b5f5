// Turns the read API's sparse series (only buckets that had data) into what a chart draws:
// every bucket of the period present, oldest first, with a short label. Pure: "now" is
// passed in. Buckets follow the API: "24h" is the current UTC hour and the 23 before it;
// day periods are whole UTC days ending today; weeks start on Monday (date_trunc('week')).
import type { Granularity, Period } from '../api/analytics.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PERIOD_DAYS: Record<Exclude<Period, '24h'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;
/** Monday 00:00 UTC of the week holding `ms` (1970-01-01 was a Thursday). */
const weekStart = (ms: number) => floorTo(ms, DAY) - ((new Date(ms).getUTCDay() + 6) % 7) * DAY;

/** Start of every bucket of the period up to now, oldest first, as epoch ms. */
export function bucketStarts(period: Period, granularity: Granularity, nowMs: number): number[] {
  const from =
    period === '24h'
      ? floorTo(nowMs, HOUR) - 23 * HOUR
      : floorTo(nowMs, DAY) - (PERIOD_DAYS[period] - 1) * DAY;
  const starts: number[] = [];
  switch (granularity) {
    case 'hour':
      for (let t = from; t <= nowMs; t += HOUR) starts.push(t);
      break;
    case 'day':
      for (let t = floorTo(from, DAY); t <= nowMs; t += DAY) starts.push(t);
      break;
    case 'week':
      for (let t = weekStart(from); t <= nowMs; t += 7 * DAY) starts.push(t);
      break;
    default: {
      const never: never = granularity;
      return never;
    }
  }
  return starts;
}

export interface Bucketed {
  bucket: string;
}

/**
 * Every bucket of the period, each the API's row when it sent one, otherwise `empty(at)`.
 * Rows outside the period (a bucket the clock has just left) are kept in order too.
 */
export function fillBuckets<T extends Bucketed>(
  rows: readonly T[],
  starts: readonly number[],
  empty: (bucket: string) => T,
): T[] {
  const byStart = new Map(rows.map((r) => [Date.parse(r.bucket), r]));
  const all = new Set([...starts, ...byStart.keys()]);
  return [...all]
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b)
    .map((t) => byStart.get(t) ?? empty(new Date(t).toISOString()));
}

const LOCALE = 'en-US';
const hourFormat = new Intl.DateTimeFormat(LOCALE, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const dayFormat = new Intl.DateTimeFormat(LOCALE, {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const dayHourFormat = new Intl.DateTimeFormat(LOCALE, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** Axis label: "14:00" per hour, "Nov 22" per day, "Wk Nov 16" per week (all UTC). */
export function bucketLabel(iso: string, granularity: Granularity): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  switch (granularity) {
    case 'hour':
      return hourFormat.format(at);
    case 'day':
      return dayFormat.format(at);
    case 'week':
      return `Wk ${dayFormat.format(at)}`;
    default: {
      const never: never = granularity;
      return never;
    }
  }
}

/** Tooltip and table label: the bucket with its date, e.g. "Nov 22, 14:00 UTC". */
export function bucketTitle(iso: string, granularity: Granularity): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  if (granularity === 'hour') return `${dayHourFormat.format(at)} UTC`;
  return granularity === 'week' ? `Week of ${dayFormat.format(at)}` : dayFormat.format(at);
}

/** "14:00" for hour 14 of the UTC day. */
export const hourOfDayLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** The latency histogram's bucket names: "≤ 10 ms", ..., "> 5000 ms" for the open one. */
export function latencyBucketLabels(buckets: readonly { le_ms: number | null }[]): string[] {
  return buckets.map((b, i) => {
    if (b.le_ms !== null) return `≤ ${b.le_ms} ms`;
    const previous = buckets[i - 1]?.le_ms;
    return previous === undefined || previous === null ? 'all' : `> ${previous} ms`;
  });
}
