// Pure shaping of dashboard numbers: rates and the zero-filled daily series.
import { outcomes, type Outcome } from '@nezuko/analytics-projector/read-model';
import { daysEndingWith } from './calendar.ts';

/** A percentage with one decimal; 0 when there is nothing to divide. */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

export interface DailyOutcomeCount {
  readonly day: string;
  readonly outcome: Outcome;
  readonly count: number;
}

export type ChartPoint = { readonly date: string; readonly total: number } & Readonly<
  Record<Outcome, number>
>;

/** Every day of the window, oldest first, zero where nothing happened. */
export function dailySeries(
  counts: readonly DailyOutcomeCount[],
  lastDay: string,
  days: number,
): ChartPoint[] {
  const byDay = new Map<string, Record<Outcome, number>>();
  for (const { day, outcome, count } of counts) {
    const row = byDay.get(day) ?? zeroes();
    row[outcome] += count;
    byDay.set(day, row);
  }
  return daysEndingWith(lastDay, days).map((date) => {
    const row = byDay.get(date) ?? zeroes();
    return { date, ...row, total: outcomes.reduce((sum, o) => sum + row[o], 0) };
  });
}

function zeroes(): Record<Outcome, number> {
  return { verified: 0, restricted: 0, exempt: 0, error: 0 };
}
