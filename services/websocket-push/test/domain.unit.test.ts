import { describe, expect, it } from 'vitest';
import { addDays, daysEndingWith, utcDay } from '../src/domain/calendar.ts';
import { dailySeries, percent } from '../src/domain/dashboard.ts';
import { parseClientMessage } from '../src/live/protocol.ts';
import { escapeLike } from '../src/queries/groups.ts';

describe('dashboard arithmetic', () => {
  it('rounds percentages to one decimal and treats nothing as 0', () => {
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 8)).toBe(12.5);
    expect(percent(0, 0)).toBe(0);
    expect(percent(5, 5)).toBe(100);
  });

  it('fills every day of the window, oldest first', () => {
    const series = dailySeries(
      [
        { day: '2026-02-28', outcome: 'verified', count: 3 },
        { day: '2026-02-28', outcome: 'error', count: 1 },
        { day: '2026-03-01', outcome: 'restricted', count: 2 },
        { day: '2026-02-20', outcome: 'verified', count: 9 },
      ],
      '2026-03-01',
      3,
    );
    expect(series).toEqual([
      { date: '2026-02-27', verified: 0, restricted: 0, exempt: 0, error: 0, total: 0 },
      { date: '2026-02-28', verified: 3, restricted: 0, exempt: 0, error: 1, total: 4 },
      { date: '2026-03-01', verified: 0, restricted: 2, exempt: 0, error: 0, total: 2 },
    ]);
  });

  it('counts UTC days across month and year ends', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysEndingWith('2026-01-01', 2)).toEqual(['2025-12-31', '2026-01-01']);
    expect(utcDay(new Date('2026-01-01T01:00:00+03:00'))).toBe('2025-12-31');
  });
});

describe('search text', () => {
  it('escapes LIKE wildcards so they match themselves', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
  });
});

describe('client messages', () => {
  it('accepts the protocol and names what is wrong otherwise', () => {
    expect(parseClientMessage('{"type":"subscribe","topics":["activity"],"since_seq":4}')).toEqual({
      ok: true,
      message: { type: 'subscribe', topics: ['activity'], since_seq: 4 },
    });
    expect(parseClientMessage('{')).toEqual({ ok: false, error: 'message is not valid JSON' });
    const bad = parseClientMessage('{"type":"subscribe","topics":["activity"],"since_seq":"x"}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^since_seq: /);
  });
});
