import { describe, expect, it } from 'vitest';
import { ContractError } from './contract.ts';
import {
  parseChannelDetail,
  parseChannelsPage,
  parseDailySeries,
  parseGroupDetail,
  parseGroupSettings,
  parseGroupsPage,
} from './groups.ts';

const group = {
  group_id: '-1004',
  title: 'Nezuko Fans',
  enabled: true,
  bot_id: '7001',
  linked_channels: [
    { channel_id: '-100777', title: null, username: 'news', invite_link: 'https://t.me/news' },
  ],
  verifications_today: 5,
  created_at: '2026-11-22T02:31:35.119Z',
  updated_at: '2026-11-22T02:31:35.119Z',
};

describe('groups and channels from the read API', () => {
  it('parses a page of groups', () => {
    const page = parseGroupsPage({ items: [group], page: 1, per_page: 20, total: 1, extra: 1 });
    expect(page.items[0]?.linked_channels[0]?.username).toBe('news');
    expect(page.total).toBe(1);
  });

  it('names the field that breaks the contract', () => {
    expect(() =>
      parseGroupsPage({ items: [{ ...group, enabled: 'yes' }], page: 1, per_page: 20, total: 1 }),
    ).toThrow(new ContractError('items[0].enabled: expected true or false'));
  });

  it('parses a group with its week', () => {
    const detail = parseGroupDetail({
      ...group,
      protected: true,
      member_count: null,
      settings: {},
      week: { total: 9, verified: 6, restricted: 3, success_rate: 66.7, cache_hit_rate: 10 },
    });
    expect(detail).toMatchObject({ protected: true, member_count: null, week: { total: 9 } });
  });

  it('parses channels and one channel with its groups', () => {
    const channel = {
      channel_id: '-100777',
      title: 'News',
      username: null,
      invite_link: null,
      subscriber_count: 1200,
      updated_at: '2026-11-22T02:31:35.119Z',
    };
    expect(
      parseChannelsPage({
        items: [{ ...channel, linked_groups: 2 }],
        page: 1,
        per_page: 20,
        total: 1,
      }).items[0]?.linked_groups,
    ).toBe(2);
    const detail = parseChannelDetail({
      ...channel,
      linked_groups: [
        { group_id: '-1004', title: null, enabled: false, linked_at: group.created_at },
      ],
    });
    expect(detail.linked_groups[0]?.enabled).toBe(false);
  });

  it('zero-fills the days a group had no decisions, oldest first', () => {
    const series = parseDailySeries(
      {
        period: '7d',
        series: [
          {
            bucket: '2026-11-20T00:00:00.000Z',
            verified: 2,
            restricted: 1,
            exempt: 0,
            error: 0,
            total: 3,
            cached: 1,
          },
        ],
      },
      3,
      new Date('2026-11-22T10:00:00Z'),
    );
    expect(series.map((d) => [d.date, d.total])).toEqual([
      ['2026-11-20', 3],
      ['2026-11-21', 0],
      ['2026-11-22', 0],
    ]);
  });

  it('refuses settings with an unknown failure action', () => {
    expect(() => parseGroupSettings({ failure_action: 'explode' })).toThrow(/failure_action/);
  });
});
