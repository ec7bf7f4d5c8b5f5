import { describe, expect, it } from 'vitest';
import {
  describeGroup,
  describeUser,
  formatCount,
  formatDayShort,
  formatLatency,
  formatPercent,
  formatRelativeTime,
  formatUptime,
  NO_VALUE,
} from './format.ts';

describe('formatCount', () => {
  it('groups thousands', () => expect(formatCount(1234567)).toBe('1,234,567'));
  it('shows a dash for a missing number', () => expect(formatCount(Number.NaN)).toBe(NO_VALUE));
});

describe('formatPercent', () => {
  it('keeps one decimal', () => {
    expect(formatPercent(91.4)).toBe('91.4%');
    expect(formatPercent(100)).toBe('100.0%');
  });
});

describe('formatUptime', () => {
  it('shows the two most significant units', () => {
    expect(formatUptime(3 * 86_400 + 4 * 3_600 + 59)).toBe('3d 4h');
    expect(formatUptime(2 * 3_600 + 5 * 60)).toBe('2h 5m');
    expect(formatUptime(12 * 60 + 5)).toBe('12m 5s');
    expect(formatUptime(45.9)).toBe('45s');
  });
  it('shows a dash when the bot is not up', () => expect(formatUptime(0)).toBe(NO_VALUE));
});

describe('formatLatency', () => {
  it('switches to seconds past one second', () => {
    expect(formatLatency(0.4)).toBe('<1 ms');
    expect(formatLatency(85.4)).toBe('85 ms');
    expect(formatLatency(1_250)).toBe('1.3 s');
    expect(formatLatency(12_400)).toBe('12 s');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it.each([
    ['2026-11-22T11:59:58Z', 'just now'],
    ['2026-11-22T11:59:18Z', '42s ago'],
    ['2026-11-22T11:55:00Z', '5m ago'],
    ['2026-11-22T09:00:00Z', '3h ago'],
    ['2026-11-20T11:00:00Z', '2d ago'],
    ['2026-11-22T12:00:03Z', 'just now'],
  ])('%s reads "%s"', (iso, expected) => {
    expect(formatRelativeTime(iso, now)).toBe(expected);
  });
  it('shows a dash for an unreadable time', () => {
    expect(formatRelativeTime('yesterday', now)).toBe(NO_VALUE);
  });
});

describe('formatDayShort', () => {
  it('reads a chart date as a UTC calendar day', () => {
    expect(formatDayShort('2026-11-01')).toBe('Nov 1');
  });
});

describe('describeUser', () => {
  it('prefers the first name, told apart by the username', () => {
    expect(describeUser({ first_name: 'Aiko', username: 'aiko_k', user_id: '1' })).toEqual({
      name: 'Aiko',
      detail: '@aiko_k',
    });
  });
  it('falls back to the id when there is no username', () => {
    expect(describeUser({ first_name: 'Ben', username: null, user_id: '42' })).toEqual({
      name: 'Ben',
      detail: 'id 42',
    });
  });
  it('uses the username as the name when there is no first name', () => {
    expect(describeUser({ first_name: '  ', username: 'max', user_id: '7' }).name).toBe('@max');
  });
  it('names an anonymous user by id', () => {
    expect(describeUser({ first_name: null, username: null, user_id: '7' })).toEqual({
      name: 'User 7',
      detail: '',
    });
  });
});

describe('describeGroup', () => {
  it('falls back to the id for a group without a title', () => {
    expect(describeGroup({ group_title: null, group_id: '-1004' })).toBe('Group -1004');
  });
});
