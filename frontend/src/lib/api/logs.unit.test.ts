import { describe, expect, it } from 'vitest';
import { ContractError } from './contract.ts';
import {
  describeEntry,
  logFiltersFrom,
  logsPath,
  matchesLogFilters,
  parseLogFrame,
  parseLogs,
} from './logs.ts';

const item = {
  seq: 7,
  time: '2026-11-22T05:00:00.000Z',
  service: 'command',
  level: 'warn',
  entry: { level: 'warn', service: 'command', msg: 'sign-in refused', email: 'a@b.c' },
};

describe('logs parsing', () => {
  it('reads the API page and names a field at fault', () => {
    expect(parseLogs({ items: [item] })).toEqual([item]);
    expect(() => parseLogs({ items: [{ ...item, seq: 'x' }] })).toThrow(
      new ContractError('logs.items[0].seq: expected a number'),
    );
  });

  it('reads live frames: a record, a skipped count, and ignores other topics', () => {
    expect(parseLogFrame('log', { type: 'log', item })).toEqual({ kind: 'log', item });
    expect(parseLogFrame('log_skipped', { type: 'log_skipped', count: 12 })).toEqual({
      kind: 'skipped',
      count: 12,
    });
    expect(parseLogFrame('something', {})).toBeNull();
    expect(() => parseLogFrame('log', { item: { seq: 1 } })).toThrow(ContractError);
  });
});

describe('log filters', () => {
  it('keeps known levels only and builds the API path', () => {
    const filters = logFiltersFrom(new URLSearchParams('level=warn&search=%20refused%20'));
    expect(filters).toEqual({ level: 'warn', search: 'refused' });
    expect(logsPath(filters, 200)).toBe('/api/v1/logs?level=warn&search=refused&limit=200');
    expect(logFiltersFrom(new URLSearchParams('level=loud')).level).toBeNull();
  });

  it('matches live records the way the history was filtered', () => {
    const parsed = parseLogs({ items: [item] })[0]!;
    expect(matchesLogFilters(parsed, { level: 'warn', search: 'REFUSED' })).toBe(true);
    expect(matchesLogFilters(parsed, { level: 'info', search: '' })).toBe(false);
    expect(matchesLogFilters(parsed, { level: null, search: 'nothing' })).toBe(false);
  });

  it('splits a record into its message and the fields worth showing', () => {
    expect(describeEntry(item.entry)).toEqual({
      message: 'sign-in refused',
      details: { email: 'a@b.c' },
    });
    expect(describeEntry('plain text line')).toEqual({ message: 'plain text line', details: null });
  });
});
