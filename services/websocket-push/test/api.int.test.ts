// The read API over a read model filled by the real projector from JetStream events:
// every number is checked against a count made here from the published events.
import { botStatus, channelLinked, decision, waitFor } from '@nezuko/analytics-projector/testing';
import {
  BotStatusChangedSchema,
  create,
  GroupEnabledChangedSchema,
  type EventOf,
} from '@nezuko/proto';
import { createReadModelDb, type Outcome } from '@nezuko/analytics-projector/read-model';
import { createLogger } from '@nezuko/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import {
  activityResponse,
  chartResponse,
  errorResponse,
  groupsResponse,
  statsResponse,
} from '../src/http/schemas.ts';
import { startReadSide, type ReadSide } from './support.ts';

// "Now" is pinned so today and the week are known; events carry their own occurred-at.
const NOW = new Date('2026-06-15T12:00:00Z');
const day = (offset: number, hour = 10) => new Date(Date.UTC(2026, 5, 15 + offset, hour, 30));

const BIG_GROUP = '-1009007199254740993'; // beyond 2^53: must survive as a string
let side: ReadSide;
let lastSeq = 0;

interface Published {
  at: Date;
  groupId: string;
  outcome: Outcome;
  cached: boolean;
  seq: number;
  userId: string;
}
const decisions: Published[] = [];

async function publish<
  T extends
    'verify.decided' | 'group.channel_linked' | 'group.enabled_changed' | 'bot.status_changed',
>(type: T, event: EventOf<T>, id: string, occurredAt: Date) {
  const { seq } = await side.store.bus.publish(type, event, { id, occurredAt });
  lastSeq = Math.max(lastSeq, seq);
  return seq;
}

beforeAll(async () => {
  side = await startReadSide('api', { now: () => NOW });
  await publish(
    'group.channel_linked',
    channelLinked({
      groupId: '-1001',
      groupTitle: 'Alpha',
      channelId: '-2001',
      channelTitle: 'News',
      channelUsername: 'news',
    }),
    'l1',
    day(-30),
  );
  await publish(
    'group.channel_linked',
    channelLinked({
      groupId: '-1001',
      groupTitle: 'Alpha',
      channelId: '-2002',
      channelTitle: 'Chat',
    }),
    'l2',
    day(-29),
  );
  await publish(
    'group.channel_linked',
    channelLinked({ groupId: '-1002', groupTitle: 'Beta 100%', channelId: '-2001' }),
    'l3',
    day(-20),
  );
  await publish(
    'group.channel_linked',
    channelLinked({ groupId: BIG_GROUP, groupTitle: 'Gamma', channelId: '-2003' }),
    'l4',
    day(-10),
  );
  await publish(
    'group.enabled_changed',
    create(GroupEnabledChangedSchema, { groupId: '-1002', enabled: false }),
    'e1',
    day(-5),
  );
  await publish(
    'bot.status_changed',
    create(BotStatusChangedSchema, {
      botId: '7001',
      status: botStatus.RUNNING,
      uptimeSeconds: 5400,
    }),
    'b1',
    day(0),
  );
  await publish(
    'bot.status_changed',
    create(BotStatusChangedSchema, {
      botId: '7002',
      status: botStatus.STOPPED,
      uptimeSeconds: 99999,
    }),
    'b2',
    day(0),
  );

  // Decisions across days: today, inside the week, on its edge, just outside, and older.
  const plan: Array<[offset: number, groupId: string, outcome: Outcome, cached: boolean]> = [];
  const groupsCycle = ['-1001', '-1002', BIG_GROUP, '-1004'];
  const outcomesCycle: Outcome[] = [
    'verified',
    'verified',
    'restricted',
    'exempt',
    'error',
    'verified',
    'restricted',
  ];
  let n = 0;
  for (const offset of [0, 0, 0, -1, -3, -6, -6, -7, -8, -20, -29, -29, -30, -45]) {
    for (let k = 0; k < 5; k += 1, n += 1) {
      plan.push([offset, groupsCycle[n % 4]!, outcomesCycle[n % 7]!, n % 3 === 0]);
    }
  }
  for (const [i, [offset, groupId, outcome, cached]] of plan.entries()) {
    const at = day(offset, 1 + (i % 22));
    const userId = i === 0 ? '9007199254740993' : String(8000 + i);
    const seq = await publish(
      'verify.decided',
      decision({
        groupId,
        userId,
        outcome,
        cached,
        latencyMs: 10 + i,
        missingChannelIds: outcome === 'restricted' ? ['-2001'] : [],
      }),
      `d${i}`,
      at,
    );
    decisions.push({ at, groupId, outcome, cached, seq, userId });
  }
  await waitFor(() => side.projector.checkpoint() === lastSeq, 30_000, 'projection');
});

afterAll(async () => {
  await side?.close();
});

const inDays = (p: Published, from: number, to: number) => {
  const offset = Math.round(
    (Date.UTC(p.at.getUTCFullYear(), p.at.getUTCMonth(), p.at.getUTCDate()) -
      Date.UTC(2026, 5, 15)) /
      86_400_000,
  );
  return offset >= from && offset <= to;
};
const oneDecimal = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;

describe('GET /api/v1/dashboard/stats', () => {
  it('reports the numbers the events add up to', async () => {
    const res = await side.app.inject('/api/v1/dashboard/stats');
    expect(res.statusCode).toBe(200);
    const week = decisions.filter((d) => inDays(d, -6, 0));
    const verified = week.filter((d) => d.outcome === 'verified').length;
    const restricted = week.filter((d) => d.outcome === 'restricted').length;
    expect(statsResponse.parse(res.json())).toEqual({
      total_groups: 2, // -1002 is disabled; -1004 has no linked channel
      total_channels: 3,
      verifications_today: decisions.filter((d) => inDays(d, 0, 0)).length,
      verifications_week: week.length,
      success_rate: oneDecimal(verified, verified + restricted),
      cache_hit_rate: oneDecimal(week.filter((d) => d.cached).length, week.length),
      bot_uptime_seconds: 5400,
    });
    expect(week.length).toBe(35); // today x3, -1, -3, -6 x2 (5 each); -7 is outside
  });
});

describe('GET /api/v1/dashboard/activity', () => {
  it('lists the newest decisions first with titles and string ids', async () => {
    const res = await side.app.inject('/api/v1/dashboard/activity?limit=5');
    expect(res.statusCode).toBe(200);
    const { items } = activityResponse.parse(res.json());
    const newest = [...decisions].sort((a, b) => b.seq - a.seq).slice(0, 5);
    expect(items.map((i) => i.seq)).toEqual(newest.map((d) => d.seq));
    expect(items.map((i) => i.outcome)).toEqual(newest.map((d) => d.outcome));
    expect(items[0]).toMatchObject({
      group_id: newest[0]!.groupId,
      user_id: newest[0]!.userId,
      trigger: 'join',
    });
  });

  it('defaults to 20 and keeps ids beyond 2^53 exact', async () => {
    const { items } = activityResponse.parse(
      (await side.app.inject('/api/v1/dashboard/activity')).json(),
    );
    expect(items).toHaveLength(20);
    const all = activityResponse.parse(
      (await side.app.inject('/api/v1/dashboard/activity?limit=100')).json(),
    ).items;
    const first = all.find((i) => i.seq === decisions[0]!.seq);
    expect(first).toMatchObject({
      user_id: '9007199254740993',
      group_id: '-1001',
      group_title: 'Alpha',
    });
    const big = all.find((i) => i.group_id === BIG_GROUP);
    expect(big?.group_title).toBe('Gamma');
    const restricted = all.find((i) => i.outcome === 'restricted');
    expect(restricted?.missing_channel_ids).toEqual(['-2001']);
    expect(all.find((i) => i.group_id === '-1004')?.group_title).toBeNull();
  });
});

describe('GET /api/v1/dashboard/chart-data', () => {
  it('returns every day of the window, zero-filled, oldest first, from the rollup', async () => {
    const res = await side.app.inject('/api/v1/dashboard/chart-data?days=30');
    expect(res.statusCode).toBe(200);
    const body = chartResponse.parse(res.json());
    expect(body.days).toBe(30);
    expect(body.series).toHaveLength(30);
    expect(body.series[0]!.date).toBe('2026-05-17');
    expect(body.series[29]!.date).toBe('2026-06-15');
    for (const point of body.series) {
      const onDay = decisions.filter((d) => d.at.toISOString().startsWith(point.date));
      const count = (o: Outcome) => onDay.filter((d) => d.outcome === o).length;
      expect(point).toEqual({
        date: point.date,
        verified: count('verified'),
        restricted: count('restricted'),
        exempt: count('exempt'),
        error: count('error'),
        total: onDay.length,
      });
    }
    expect(body.series.reduce((sum, p) => sum + p.total, 0)).toBe(
      decisions.filter((d) => inDays(d, -29, 0)).length,
    );
    expect(body.series.filter((p) => p.total === 0).length).toBeGreaterThan(20);
  });

  it('defaults to 30 days and accepts one', async () => {
    expect(
      chartResponse.parse((await side.app.inject('/api/v1/dashboard/chart-data')).json()).series,
    ).toHaveLength(30);
    const today = chartResponse.parse(
      (await side.app.inject('/api/v1/dashboard/chart-data?days=1')).json(),
    );
    expect(today.series).toEqual([expect.objectContaining({ date: '2026-06-15', total: 15 })]);
  });
});

describe('GET /api/v1/groups', () => {
  it('pages groups newest first with their channels and today’s count', async () => {
    const res = await side.app.inject('/api/v1/groups?page=1&per_page=2');
    expect(res.statusCode).toBe(200);
    const body = groupsResponse.parse(res.json());
    expect(body).toMatchObject({ page: 1, per_page: 2, total: 4 });
    // -1004 first appeared with a decision (today); BIG_GROUP was linked 10 days ago.
    expect(body.items.map((g) => g.group_id)).toEqual(['-1004', BIG_GROUP]);
    const todayFor = (groupId: string) =>
      decisions.filter((d) => d.groupId === groupId && inDays(d, 0, 0)).length;
    expect(body.items[1]).toMatchObject({
      title: 'Gamma',
      enabled: true,
      bot_id: '7001',
      linked_channels: [{ channel_id: '-2003', title: null, username: null, invite_link: null }],
      verifications_today: todayFor(BIG_GROUP),
    });
    const second = groupsResponse.parse(
      (await side.app.inject('/api/v1/groups?page=2&per_page=2')).json(),
    );
    expect(second.items.map((g) => g.group_id)).toEqual(['-1002', '-1001']);
    expect(second.items[1]).toMatchObject({
      title: 'Alpha',
      linked_channels: [
        { channel_id: '-2001', title: 'News', username: 'news', invite_link: 'https://t.me/news' },
        { channel_id: '-2002', title: 'Chat', username: null, invite_link: null },
      ],
      verifications_today: todayFor('-1001'),
    });
    expect(second.items[0]).toMatchObject({ enabled: false });
  });

  it('searches titles literally and ids exactly', async () => {
    const search = async (q: string) =>
      groupsResponse.parse(
        (await side.app.inject(`/api/v1/groups?search=${encodeURIComponent(q)}`)).json(),
      );
    expect((await search('alp')).items.map((g) => g.group_id)).toEqual(['-1001']);
    expect((await search('100%')).items.map((g) => g.group_id)).toEqual(['-1002']);
    expect((await search('%')).total).toBe(1);
    expect((await search(BIG_GROUP)).items.map((g) => g.title)).toEqual(['Gamma']);
    expect((await search('nothing like it')).total).toBe(0);
  });
});

describe('bad requests', () => {
  it.each([
    ['/api/v1/dashboard/activity?limit=0', 'limit'],
    ['/api/v1/dashboard/activity?limit=101', 'limit'],
    ['/api/v1/dashboard/activity?limit=ten', 'limit'],
    ['/api/v1/dashboard/activity?limit=2.5', 'limit'],
    ['/api/v1/dashboard/chart-data?days=0', 'days'],
    ['/api/v1/dashboard/chart-data?days=366', 'days'],
    ['/api/v1/groups?page=0', 'page'],
    ['/api/v1/groups?per_page=101', 'per_page'],
    ['/api/v1/groups?search=' + 'x'.repeat(201), 'search'],
  ])('%s -> 400 naming %s', async (url, field) => {
    const res = await side.app.inject(url);
    expect(res.statusCode).toBe(400);
    const body = errorResponse.parse(res.json());
    expect(body).toMatchObject({ error: 'bad_request', field });
    expect(body.message).toContain(field);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await side.app.inject('/api/v1/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('server failures', () => {
  it('answers 500 without leaking what went wrong', async () => {
    const broken = createReadModelDb('postgres://postgres@127.0.0.1:5432/nz_no_such_database');
    const app = await buildApp({
      db: broken,
      feed: side.feed,
      probes: { checks: {}, serveMetrics: (_req, res) => res.end() },
      logger: createLogger('wsp-test', 'silent'),
    });
    const res = await app.inject('/api/v1/dashboard/stats');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal', message: 'internal error' });
    expect(res.body).not.toContain('nz_no_such_database');
    await app.close();
    await broken.destroy();
  });
});

describe('ops endpoints', () => {
  it('serves health, readiness with its checks, and metrics', async () => {
    expect((await side.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    await waitFor(() => side.feed.attached(), 10_000, 'live feed');
    const ready = await side.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      checks: { postgres: true, nats: true, liveFeed: true },
    });
    expect((await side.app.inject('/metrics')).body).toContain('# metrics');
  });
});
