import { describe, expect, it } from 'vitest';
import {
  apiCallsView,
  latencyTrendView,
  topGroupsView,
  verificationTrendView,
} from './analyticsViews.ts';
import { toCsv } from './csv.ts';

const now = Date.parse('2026-11-22T14:37:00Z');

describe('chart views', () => {
  it('fills every day of a verification trend and exports it as CSV', () => {
    const view = verificationTrendView(
      {
        period: '7d',
        granularity: 'day',
        series: [
          {
            bucket: '2026-11-22T00:00:00.000Z',
            verified: 2,
            restricted: 1,
            exempt: 0,
            error: 1,
            total: 4,
            cached: 1,
          },
        ],
      },
      now,
    );
    expect(view.rows).toHaveLength(7);
    expect(view.empty).toBe(false);
    const lines = toCsv(view.columns, view.rows).trim().split('\r\n');
    expect(lines[0]).toBe('Bucket start (UTC),Verified,Restricted,Exempt,Error,Total,Cached');
    expect(lines.at(-1)).toBe('2026-11-22T00:00:00.000Z,2,1,0,1,4,1');
    expect(lines).toHaveLength(8);
  });

  it('is empty when nothing happened in the period', () => {
    expect(
      verificationTrendView({ period: '24h', granularity: 'hour', series: [] }, now).empty,
    ).toBe(true);
  });

  it('leaves latency gaps where no check ran instead of drawing zero', () => {
    const view = latencyTrendView(
      {
        period: '24h',
        granularity: 'hour',
        series: [{ bucket: '2026-11-22T14:00:00.000Z', count: 2, avg_ms: 30, p95_ms: 48 }],
      },
      now,
    );
    expect(view.rows).toHaveLength(24);
    expect(view.rows[0]?.avg_ms).toBeNull();
    expect(view.rows.at(-1)).toMatchObject({ avg_ms: 30, p95_ms: 48 });
    expect(view.rows.at(-1)?.at).toEqual(new Date('2026-11-22T14:00:00.000Z'));
  });

  it('splits API calls into succeeded and failed per method', () => {
    const view = apiCallsView({
      period: '7d',
      granularity: 'day',
      total: 10,
      errors: 2,
      error_rate: 20,
      methods: [
        { method: 'getChatMember', count: 10, errors: 2, avg_latency_ms: 40, p95_latency_ms: null },
      ],
      series: [],
    });
    expect(view.rows[0]).toMatchObject({ ok: 8, errors: 2 });
  });

  it('keeps groups with the same title apart and exports titles safely', () => {
    const group = (id: string) => ({
      group_id: id,
      title: '=cmd()',
      total: 3,
      verified: 2,
      restricted: 1,
      cached: 1,
      success_rate: 66.7,
      cache_hit_rate: 33.3,
    });
    const view = topGroupsView({ items: [group('-1'), group('-2')] });
    expect(view.spec.x).toBe('group_id');
    expect(toCsv(view.columns, view.rows)).toContain("-1,'=cmd(),3,2,1,66.7,33.3");
  });
});
