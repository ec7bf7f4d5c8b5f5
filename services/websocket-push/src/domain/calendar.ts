// UTC calendar days as 'YYYY-MM-DD' strings: the read model's rollup is keyed by UTC day,
// so "today" and "this week" are UTC too, whatever the server's time zone.
const DAY_MS = 24 * 60 * 60 * 1000;

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** The `count` days ending with `lastDay`, oldest first. */
export function daysEndingWith(lastDay: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(lastDay, i - count + 1));
}
