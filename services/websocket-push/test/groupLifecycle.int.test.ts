// What a group's life and its members' activity look like through the read API, over a
// read model the real projector fills from JetStream: synced titles and counts, subscriber
// counts that follow joins and leaves, a group the bot left shown as unprotected, a
// migrated group shown once under its new id, recheck decisions in the activity feed, and
// active users per bucket recomputed here from the published decisions.
import { channelLinked, decision, waitFor } from '@nezuko/analytics-projector/testing';
import type { Trigger } from '@nezuko/analytics-projector/read-model';
import {
  ChannelMemberChangedSchema,
  create,
  GroupBotLeftSchema,
  GroupMigratedSchema,
  GroupSyncedSchema,
  type EventOf,
  type EventType,
} from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReadSide, type ReadSide } from './support.ts';

const NOW = new Date('2026-06-17T15:30:00Z'); // a Wednesday
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let side: ReadSide;
let lastSeq = 0;
let n = 0;

interface Decided {
  at: Date;
  userId: string;
  trigger: Trigger;
}
const decided: Decided[] = [];

const publish = async <T extends EventType>(type: T, event: EventOf<T>, at = NOW) => {
  const { seq } = await side.store.bus.publish(type, event, {
    id: `lc-${(n += 1)}`,
    occurredAt: at,
  });
  lastSeq = Math.max(lastSeq, seq);
};

beforeAll(async () => {
  side = await startReadSide('lifecycle', { now: () => NOW });
  const old = new Date(NOW.getTime() - 20 * DAY);
  for (const link of [
    { groupId: '-1001', groupTitle: 'Alpha', channelId: '-2001', channelTitle: 'News' },
    { groupId: '-1002', groupTitle: 'Beta', channelId: '-2001' },
    { groupId: '-600', groupTitle: 'Garden', channelId: '-2002', channelTitle: 'Seeds' },
  ])
    await publish('group.channel_linked', channelLinked(link), old);
  await publish(
    'group.synced',
    create(GroupSyncedSchema, {
      groupId: '-1001',
      botId: '7001',
      title: 'Alpha Readers',
      memberCount: 250,
      channels: [{ channelId: '-2001', title: 'News Daily', subscriberCount: 1200 }],
    }),
    new Date(NOW.getTime() - 2 * HOUR),
  );
  for (const [userId, oldStatus, newStatus] of [
    ['1', 'left', 'member'],
    ['2', 'left', 'member'],
    ['3', 'member', 'left'],
    ['4', 'left', 'member'],
  ] as const)
    await publish(
      'channel.member_changed',
      create(ChannelMemberChangedSchema, {
        botId: '7001',
        channelId: '-2001',
        userId,
        oldStatus,
        newStatus,
      }),
      new Date(NOW.getTime() - HOUR),
    );
  await publish(
    'group.bot_left',
    create(GroupBotLeftSchema, { groupId: '-1002', botId: '7001', actionId: 'cmd:leave' }),
  );
  await publish(
    'group.migrated',
    create(GroupMigratedSchema, { groupId: '-600', newGroupId: '-100600', botId: '7001' }),
    new Date(NOW.getTime() - 10 * DAY),
  );
  // Decisions over the last 10 days: 40 members, every trigger, a recheck now and then.
  const triggers: Trigger[] = ['join', 'message', 'message', 'verify_button', 'recheck'];
  for (let i = 0; i < 300; i += 1) {
    const d: Decided = {
      at: new Date(NOW.getTime() - ((i * 7919) % (10 * 24)) * HOUR - (i % 50) * 60_000),
      userId: String(500 + ((i * 31) % 40)),
      trigger: triggers[i % triggers.length]!,
    };
    decided.push(d);
    await publish(
      'verify.decided',
      decision({
        groupId: i % 2 === 0 ? '-1001' : '-100600',
        userId: d.userId,
        outcome: d.trigger === 'recheck' ? 'restricted' : 'verified',
        trigger: d.trigger,
      }),
      d.at,
    );
  }
  await waitFor(() => side.projector.checkpoint() === lastSeq, 20_000, 'projector caught up');
}, 60_000);

afterAll(async () => {
  await side?.close();
});

const get = async (url: string) => {
  const res = await side.app.inject({ method: 'GET', url });
  expect(res.statusCode, url).toBe(200);
  return res.json<Record<string, unknown>>();
};

/** Distinct members per bucket, the way the API cuts them, rechecks left out. */
const distinctPer = (cut: (at: Date) => number, from: number) => {
  const buckets = new Map<number, Set<string>>();
  for (const d of decided) {
    if (d.trigger === 'recheck' || cut(d.at) < from) continue;
    buckets.set(cut(d.at), (buckets.get(cut(d.at)) ?? new Set()).add(d.userId));
  }
  return buckets;
};
const dayOf = (at: Date) => Math.floor(at.getTime() / DAY) * DAY;
const hourOf = (at: Date) => Math.floor(at.getTime() / HOUR) * HOUR;

describe('groups and channels', () => {
  it('show synced titles and counts, and subscribers that followed joins and leaves', async () => {
    const alpha = await get('/api/v1/groups/-1001');
    expect(alpha).toMatchObject({
      title: 'Alpha Readers',
      member_count: 250,
      bot_present: true,
      protected: true,
      synced_at: new Date(NOW.getTime() - 2 * HOUR).toISOString(),
    });
    const channels = await get('/api/v1/channels?search=-2001');
    expect(channels.items).toMatchObject([
      { channel_id: '-2001', title: 'News Daily', subscriber_count: 1202 },
    ]);
    expect(await get('/api/v1/channels/-2001')).toMatchObject({ subscriber_count: 1202 });
  });

  it('a group the bot left is unprotected, in the list and in the protection counts', async () => {
    expect(await get('/api/v1/groups/-1002')).toMatchObject({
      bot_present: false,
      bot_left_at: NOW.toISOString(),
      protected: false,
    });
    const listed = (await get('/api/v1/groups?status=unprotected')).items as {
      group_id: string;
      bot_present: boolean;
    }[];
    expect(listed).toEqual([expect.objectContaining({ group_id: '-1002', bot_present: false })]);
    expect(await get('/api/v1/charts/groups-status?period=7d')).toMatchObject({
      total: 3,
      protected: 2,
      unprotected: 1,
      bot_absent: 1,
    });
  });

  it('a migrated group is one group under its new id, with the decisions it had', async () => {
    const ids = ((await get('/api/v1/groups?per_page=50')).items as { group_id: string }[])
      .map((g) => g.group_id)
      .sort();
    expect(ids).toEqual(['-1001', '-1002', '-100600']);
    const garden = await get('/api/v1/groups/-100600');
    expect(garden).toMatchObject({ title: 'Garden', protected: true });
    expect((garden.linked_channels as { channel_id: string }[])[0]?.channel_id).toBe('-2002');
    const sevenDays = dayOf(NOW) - 6 * DAY;
    expect((garden.week as { total: number }).total).toBe(
      decided.filter((d, i) => i % 2 === 1 && d.at.getTime() >= sevenDays).length,
    );
  });
});

describe('activity and active users', () => {
  it('the activity feed shows recheck decisions with their trigger', async () => {
    const feed = (await get('/api/v1/dashboard/activity?limit=50')).items as {
      trigger: string;
    }[];
    expect(feed.some((item) => item.trigger === 'recheck')).toBe(true);
  });

  it('analytics/users reports distinct active members per day and per hour', async () => {
    const from = dayOf(NOW) - 6 * DAY;
    const days = await get('/api/v1/analytics/users?period=7d&granularity=day');
    const expected = distinctPer(dayOf, from);
    const series = days.series as { bucket: string; active_users: number }[];
    expect(
      new Map(
        series.filter((s) => s.active_users > 0).map((s) => [Date.parse(s.bucket), s.active_users]),
      ),
    ).toEqual(new Map([...expected].map(([at, users]) => [at, users.size])));
    expect(days.peak_active_users).toBe(Math.max(...[...expected.values()].map((u) => u.size)));

    const hours = await get('/api/v1/analytics/users?period=24h');
    const hourly = distinctPer(hourOf, hourOf(NOW) - 23 * HOUR);
    expect(
      (hours.series as { bucket: string; active_users: number }[])
        .filter((s) => s.active_users > 0)
        .map((s) => [Date.parse(s.bucket), s.active_users]),
    ).toEqual([...hourly].sort(([a], [b]) => a - b).map(([at, users]) => [at, users.size]));
  });

  it('a week bucket counts each member once however many days they were active', async () => {
    const weeks = await get('/api/v1/analytics/users?period=30d&granularity=week');
    const monday = dayOf(NOW) - 2 * DAY;
    const thisWeek = new Set(
      decided
        .filter((d) => d.trigger !== 'recheck' && d.at.getTime() >= monday)
        .map((d) => d.userId),
    );
    const series = weeks.series as { bucket: string; active_users: number }[];
    expect(series.find((s) => Date.parse(s.bucket) === monday)?.active_users).toBe(thisWeek.size);
  });

  it('the overview reports the average daily active members over the period', async () => {
    const from = dayOf(NOW) - 6 * DAY;
    const perDay = distinctPer(dayOf, from);
    const sum = [...perDay.values()].reduce((s, u) => s + u.size, 0);
    expect((await get('/api/v1/analytics/overview?period=7d')).daily_active_users).toBe(
      Math.round(sum / 7),
    );
  });
});
