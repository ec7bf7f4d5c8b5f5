import { describe, expect, it } from 'vitest';
import { activityItem } from '../testing/fixtures.ts';
import {
  ContractError,
  parseActivity,
  parseChartData,
  parseServerMessage,
  parseStats,
  subscribeMessage,
} from './contract.ts';

describe('parseStats', () => {
  const stats = {
    total_groups: 3,
    total_channels: 4,
    verifications_today: 10,
    verifications_week: 70,
    success_rate: 91.4,
    cache_hit_rate: 73,
    bot_uptime_seconds: 3600,
  };

  it('accepts the documented shape and ignores extra fields', () => {
    expect(parseStats({ ...stats, something_new: true })).toEqual(stats);
  });

  it('names the field at fault', () => {
    expect(() => parseStats({ ...stats, success_rate: '91.4' })).toThrow(
      new ContractError('stats.success_rate: expected a number'),
    );
  });
});

describe('parseActivity', () => {
  it('reads items and treats missing optional fields as null / empty', () => {
    const { group_title: _t, username: _u, missing_channel_ids: _m, ...bare } = activityItem(1);
    expect(parseActivity({ items: [bare] })).toEqual([
      activityItem(1, { group_title: null, username: null, missing_channel_ids: [] }),
    ]);
  });

  it('reads a recheck: a decision Nezuko took on its own', () => {
    const recheck = activityItem(2, { trigger: 'recheck', outcome: 'restricted' });
    expect(parseActivity({ items: [recheck] })).toEqual([recheck]);
  });

  it('rejects an unknown outcome', () => {
    expect(() => parseActivity({ items: [{ ...activityItem(1), outcome: 'banned' }] })).toThrow(
      /activity\.items\[0\]\.outcome: expected one of verified, restricted, exempt, error/,
    );
  });
});

describe('parseChartData', () => {
  it('reads the daily series', () => {
    const day = { date: '2026-11-22', verified: 5, restricted: 1, exempt: 0, error: 0, total: 6 };
    expect(parseChartData({ days: 1, series: [day] })).toEqual({ days: 1, series: [day] });
  });
});

describe('parseServerMessage', () => {
  it('reads hello, verification and error frames', () => {
    expect(parseServerMessage('{"type":"hello","seq":7}')).toEqual({ type: 'hello', seq: 7 });
    expect(
      parseServerMessage(JSON.stringify({ type: 'verification', seq: 8, item: activityItem(8) })),
    ).toEqual({ type: 'verification', seq: 8, item: activityItem(8) });
    expect(parseServerMessage('{"type":"error","message":"bad topic"}')).toEqual({
      type: 'error',
      message: 'bad topic',
    });
  });

  it('reads model_changed and resync frames', () => {
    expect(parseServerMessage('{"type":"model_changed","model":"groups","seq":3}')).toEqual({
      type: 'model_changed',
      model: 'groups',
      seq: 3,
    });
    expect(parseServerMessage('{"type":"resync","seq":9,"reason":"too far"}')).toEqual({
      type: 'resync',
      seq: 9,
      reason: 'too far',
    });
  });

  it('rejects a model_changed frame without its model', () => {
    expect(() => parseServerMessage('{"type":"model_changed","seq":3}')).toThrow(ContractError);
  });

  it('hands frames of other topics on as they came, and skips control frames', () => {
    expect(parseServerMessage('{"type":"log","line":{"msg":"x"}}')).toEqual({
      type: 'topic',
      name: 'log',
      body: { type: 'log', line: { msg: 'x' } },
    });
    expect(parseServerMessage('{"type":"subscribed","topics":["activity"],"seq":1}')).toBeNull();
    expect(parseServerMessage('{"type":"pong"}')).toBeNull();
  });

  it('rejects a frame that is not JSON', () => {
    expect(() => parseServerMessage('hello')).toThrow(ContractError);
  });
});

describe('subscribeMessage', () => {
  it('asks for activity after the given seq', () => {
    expect(subscribeMessage(41)).toEqual({
      type: 'subscribe',
      topics: ['activity'],
      since_seq: 41,
    });
  });

  it('adds the topics pages asked for', () => {
    expect(subscribeMessage(41, ['commands', 'logs']).topics).toEqual([
      'activity',
      'commands',
      'logs',
    ]);
  });
});
