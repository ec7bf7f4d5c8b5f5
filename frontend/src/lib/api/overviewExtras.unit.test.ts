import { describe, expect, it } from 'vitest';
import { errorsThisHour } from './overviewExtras.ts';

const now = Date.parse('2026-11-22T14:37:10Z');
const check = (bucket: string, error: number) => ({
  bucket,
  verified: 1,
  restricted: 0,
  exempt: 0,
  error,
  total: 1 + error,
  cached: 0,
});

describe('errorsThisHour', () => {
  it('adds failed checks and failed API calls of the current UTC hour only', () => {
    const result = errorsThisHour(
      { series: [check('2026-11-22T13:00:00.000Z', 5), check('2026-11-22T14:00:00.000Z', 2)] },
      {
        series: [
          { bucket: '2026-11-22T14:00:00.000Z', count: 40, errors: 3 },
          { bucket: '2026-11-22T12:00:00.000Z', count: 9, errors: 9 },
        ],
      },
      now,
    );
    expect(result).toEqual({ since: '2026-11-22T14:00:00.000Z', checks: 2, apiCalls: 3, total: 5 });
  });

  it('is zero when the current hour has no bucket yet', () => {
    const result = errorsThisHour(
      { series: [check('2026-11-22T13:00:00.000Z', 4)] },
      { series: [] },
      now,
    );
    expect(result.total).toBe(0);
  });
});
