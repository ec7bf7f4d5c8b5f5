import { describe, expect, it } from 'vitest';
import { ContractError } from './contract.ts';
import {
  analyticsPaths,
  filtersFromUrl,
  filtersToSearch,
  granularitiesFor,
  parsers,
} from './analytics.ts';

describe('filters in the URL', () => {
  it('reads period, granularity, bot and group, defaulting what is missing or wrong', () => {
    expect(filtersFromUrl(new URLSearchParams(''))).toEqual({
      period: '7d',
      granularity: 'day',
      botId: null,
      groupId: null,
    });
    expect(
      filtersFromUrl(new URLSearchParams('period=30d&granularity=week&bot_id=7001&group_id=-100')),
    ).toEqual({ period: '30d', granularity: 'week', botId: '7001', groupId: '-100' });
    expect(filtersFromUrl(new URLSearchParams('period=1y&granularity=minute&bot_id=abc'))).toEqual({
      period: '7d',
      granularity: 'day',
      botId: null,
      groupId: null,
    });
  });

  it('drops a granularity the period cannot have', () => {
    expect(filtersFromUrl(new URLSearchParams('period=24h&granularity=week')).granularity).toBe(
      'hour',
    );
    expect(filtersFromUrl(new URLSearchParams('period=90d&granularity=hour')).granularity).toBe(
      'day',
    );
    expect(granularitiesFor('24h')).toEqual(['hour']);
  });

  it('writes only what differs from the defaults, and reads back the same filters', () => {
    expect(filtersToSearch(filtersFromUrl(new URLSearchParams('')))).toBe('');
    const f = filtersFromUrl(new URLSearchParams('period=24h&group_id=-100'));
    expect(filtersToSearch(f)).toBe('?period=24h&group_id=-100');
    expect(filtersFromUrl(new URLSearchParams(filtersToSearch(f)))).toEqual(f);
  });

  it('sends the filters to every chart endpoint, and granularity to the trends', () => {
    const f = filtersFromUrl(
      new URLSearchParams('period=30d&granularity=week&bot_id=7&group_id=-9'),
    );
    expect(analyticsPaths.verifications(f)).toBe(
      '/api/v1/analytics/verifications?period=30d&granularity=week&bot_id=7&group_id=-9',
    );
    expect(analyticsPaths.distribution(f)).toBe(
      '/api/v1/charts/verification-distribution?period=30d&bot_id=7&group_id=-9',
    );
    expect(analyticsPaths.topGroups(f)).toContain('limit=10');
  });
});

describe('parsers', () => {
  it('parses a latency trend, with null p95 for an unbounded quantile', () => {
    const body = {
      period: '24h',
      granularity: 'hour',
      series: [{ bucket: '2026-11-22T14:00:00.000Z', count: 3, avg_ms: 40, p95_ms: null }],
    };
    expect(parsers.latencyTrend(body).series[0]?.p95_ms).toBeNull();
  });

  it('names the field at fault', () => {
    const body = { period: '7d', total: 1, items: [{ outcome: 'maybe', count: 1, percent: 100 }] };
    expect(() => parsers.distribution(body)).toThrow(ContractError);
    expect(() => parsers.distribution(body)).toThrow('distribution.items[0].outcome');
    expect(() => parsers.groupsStatus({ total: '3' })).toThrow('groups-status.total');
  });

  it('parses bot health and ignores fields it does not use', () => {
    const bot = {
      bot_id: '7001',
      username: 'gate_bot',
      first_name: 'Gate',
      status: 'running',
      lifecycle: 'enabled',
      uptime_seconds: 60,
      last_heartbeat_at: null,
      last_error: null,
      last_error_at: null,
      registered_at: null,
      api_calls: 10,
      api_errors: 1,
      groups: 2,
      decisions: 5,
      decision_errors: 0,
      api_error_rate: 10,
      healthy: true,
    };
    expect(parsers.botHealth({ period: '24h', items: [bot] }).items[0]?.healthy).toBe(true);
  });
});
