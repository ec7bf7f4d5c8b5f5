import { describe, expect, it } from 'vitest';
import {
  auditFilterProblem,
  auditFiltersFrom,
  auditPath,
  detailEntries,
  parseAudit,
} from './audit.ts';

describe('audit', () => {
  it('parses entries, resource id optional', () => {
    const row = {
      seq: 3,
      occurred_at: '2026-11-22T05:00:00.000Z',
      actor: 'owner@example.com',
      action: 'auth.login',
      resource_type: 'session',
      resource_id: null,
      details: { succeeded: true },
    };
    expect(parseAudit({ items: [row] })).toEqual([row]);
    expect(() => parseAudit({ items: [{ ...row, actor: 1 }] })).toThrow(
      'audit.items[0].actor: expected a string',
    );
  });

  it('turns URL filters into API queries with whole UTC days, until inclusive', () => {
    const filters = auditFiltersFrom(
      new URLSearchParams('actor=a@b.c&action=auth.login&since=2026-11-01&until=2026-11-30&x=1'),
    );
    expect(filters).toEqual({
      actor: 'a@b.c',
      action: 'auth.login',
      resource_type: '',
      since: '2026-11-01',
      until: '2026-11-30',
    });
    const json = new URL(auditPath(filters, 'json'), 'http://x');
    expect(Object.fromEntries(json.searchParams)).toEqual({
      actor: 'a@b.c',
      action: 'auth.login',
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-12-01T00:00:00.000Z',
      limit: '200',
    });
    const csv = new URL(auditPath(filters, 'csv'), 'http://x');
    expect(csv.searchParams.get('format')).toBe('csv');
    expect(csv.searchParams.get('limit')).toBeNull();
  });

  it('drops malformed dates and reports a reversed range', () => {
    expect(auditFiltersFrom(new URLSearchParams('since=yesterday')).since).toBe('');
    const reversed = auditFiltersFrom(new URLSearchParams('since=2026-11-20&until=2026-11-01'));
    expect(auditFilterProblem(reversed)).toMatch(/before/);
    expect(detailEntries(null)).toEqual([]);
  });

  it('lists detail fields as text, indenting JSON old/new values', () => {
    expect(
      detailEntries({ ip: '127.0.0.1', new_value: '{"a":1}', succeeded: true, note: '<b>' }),
    ).toEqual([
      { key: 'ip', text: '127.0.0.1' },
      { key: 'new_value', text: '{\n  "a": 1\n}' },
      { key: 'succeeded', text: 'true' },
      { key: 'note', text: '<b>' },
    ]);
    expect(detailEntries('plain')).toEqual([{ key: 'details', text: 'plain' }]);
  });
});
