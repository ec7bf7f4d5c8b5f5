// The chart, analytics, catalogue and operations endpoints over a read model filled by
// the real projector from events published to JetStream. Every number is recomputed here
// from the published events, independently of the SQL that serves it.
import { botStatus, channelLinked, decision, waitFor } from '@nezuko/analytics-projector/testing';
import { latencyBoundsMs, type Outcome } from '@nezuko/analytics-projector/read-model';
import {
  AuditRecordedSchema,
  BotRegisteredSchema,
  BotStatusChangedSchema,
  CommandRequestedSchema,
  CommandStatus,
  CommandStatusChangedSchema,
  create,
  TelegramApiCalledSchema,
} from '@nezuko/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReadSide, type ReadSide } from './support.ts';

const NOW = new Date('2026-06-15T12:10:00Z');
const HOUR = 3_600_000;
let side: ReadSide;
let lastSeq = 0;

interface Decision {
  at: Date;
  groupId: string;
  botId: string;
  outcome: Outcome;
  cached: boolean;
  latencyMs: number;
  userId: string;
}
const decisions: Decision[] = [];
const calls: { at: Date; botId: string; method: string; ok: boolean; latencyMs: number }[] = [];

let state = 42;
const random = (n: number) => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state % n;
};
const outcomesCycle: Outcome[] = ['verified', 'restricted', 'verified', 'exempt', 'error'];

beforeAll(async () => {
  side = await startReadSide('charts', { now: () => NOW });
  const { bus } = side.store;
  const track = async (p: Promise<{ seq: number }>) => {
    lastSeq = Math.max(lastSeq, (await p).seq);
  };
  await track(
    bus.publish(
      'bot.registered',
      create(BotRegisteredSchema, { botId: '7001', username: 'gate_bot', firstName: 'Gate' }),
      { id: 'bot-1', occurredAt: new Date(NOW.getTime() - 40 * 24 * HOUR) },
    ),
  );
  await track(
    bus.publish(
      'bot.status_changed',
      create(BotStatusChangedSchema, {
        botId: '7001',
        status: botStatus.RUNNING,
        uptimeSeconds: 99,
      }),
      { id: 'bot-2', occurredAt: NOW },
    ),
  );
  for (const [i, link] of [
    {
      groupId: '-1001',
      groupTitle: 'Alpha',
      channelId: '-2001',
      channelTitle: 'News',
      channelUsername: 'news',
    },
    { groupId: '-1002', groupTitle: 'Beta', channelId: '-2001' },
    { groupId: '-1002', groupTitle: 'Beta', channelId: '-2002', channelTitle: 'Deals' },
  ].entries()) {
    await track(
      bus.publish('group.channel_linked', channelLinked(link), {
        id: `link-${i}`,
        occurredAt: new Date(NOW.getTime() - 50 * 24 * HOUR),
      }),
    );
  }
  // 400 decisions over the last 40 days, two bots, three groups.
  for (let i = 0; i < 400; i += 1) {
    const d: Decision = {
      at: new Date(NOW.getTime() - random(40 * 24) * HOUR - random(59) * 60_000),
      groupId: ['-1001', '-1002', '-1003'][random(3)]!,
      botId: i % 4 === 0 ? '7002' : '7001',
      outcome: outcomesCycle[random(outcomesCycle.length)]!,
      cached: random(3) === 0,
      latencyMs: [3, 8, 20, 40, 90, 200, 400, 900, 3000][random(9)]!,
      userId: String(10_000 + random(150)),
    };
    decisions.push(d);
    await track(
      bus.publish(
        'verify.decided',
        decision({
          groupId: d.groupId,
          botId: d.botId,
          userId: d.userId,
          outcome: d.outcome,
          cached: d.cached,
          latencyMs: d.latencyMs,
        }),
        { id: `d-${i}`, occurredAt: d.at },
      ),
    );
  }
  for (let i = 0; i < 60; i += 1) {
    const c = {
      at: new Date(NOW.getTime() - random(48) * HOUR),
      botId: '7001',
      method: i % 2 === 0 ? 'getChatMember' : 'restrictChatMember',
      ok: i % 6 !== 0,
      latencyMs: 30 + random(100),
    };
    calls.push(c);
    await track(
      bus.publish(
        'bot.api_called',
        create(TelegramApiCalledSchema, {
          botId: c.botId,
          method: c.method,
          chatId: '-1001',
          ok: c.ok,
          latencyMs: c.latencyMs,
          errorCode: c.ok ? 0 : 400,
        }),
        { id: `call-${i}`, occurredAt: c.at },
      ),
    );
  }
  for (let i = 0; i < 3; i += 1) {
    await track(
      bus.publish(
        'audit.recorded',
        create(AuditRecordedSchema, {
          actor: {
            who: { case: 'adminEmail', value: i === 2 ? 'b@example.com' : 'a@example.com' },
          },
          action: i === 0 ? 'group.disable' : 'bot.add',
          resourceType: i === 0 ? 'group' : 'bot',
          resourceId: i === 0 ? '-1001' : '=cmd,"x"',
          succeeded: true,
        }),
        { id: `audit-${i}`, occurredAt: new Date(NOW.getTime() - (3 - i) * HOUR) },
      ),
    );
  }
  await track(
    bus.publish(
      'command.requested',
      create(CommandRequestedSchema, {
        commandId: 'c1',
        type: 'ban',
        botId: '7001',
        groupId: '-1001',
      }),
      { id: 'c1', occurredAt: NOW },
    ),
  );
  await track(
    bus.publish(
      'command.requested',
      create(CommandRequestedSchema, {
        commandId: 'c2',
        type: 'unban',
        botId: '7001',
        groupId: '-1001',
      }),
      { id: 'c2', occurredAt: NOW },
    ),
  );
  await track(
    bus.publish(
      'command.status_changed',
      create(CommandStatusChangedSchema, { commandId: 'c2', status: CommandStatus.SUCCEEDED }),
      { id: 'c2s', occurredAt: NOW },
    ),
  );
  await waitFor(() => side.projector.checkpoint() === lastSeq, 20_000, 'projector caught up');
}, 60_000);

afterAll(async () => {
  await side?.close();
});

const get = async (url: string) => {
  const res = await side.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>(), raw: res };
};

/** Decisions within a period as the API cuts it: whole hours (24h) or whole UTC days. */
const inPeriod = (period: '24h' | '7d' | '30d') => {
  const from =
    period === '24h'
      ? Math.floor(NOW.getTime() / HOUR) * HOUR - 23 * HOUR
      : Math.floor(NOW.getTime() / (24 * HOUR)) * 24 * HOUR -
        ((period === '7d' ? 7 : 30) - 1) * 24 * HOUR;
  return (d: { at: Date }) => d.at.getTime() >= from;
};
const pct = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;

describe('charts', () => {
  it('verification distribution per outcome, filtered by bot and group', async () => {
    for (const q of ['', '&bot_id=7002', '&group_id=-1002', '&bot_id=7001&group_id=-1001']) {
      const bot = /bot_id=(\d+)/.exec(q)?.[1];
      const group = /group_id=(-\d+)/.exec(q)?.[1];
      const mine = decisions
        .filter(inPeriod('30d'))
        .filter((d) => (!bot || d.botId === bot) && (!group || d.groupId === group));
      const { status, body } = await get(`/api/v1/charts/verification-distribution?period=30d${q}`);
      expect(status).toBe(200);
      expect(body.total).toBe(mine.length);
      const items = body.items as { outcome: Outcome; count: number }[];
      for (const o of ['verified', 'restricted', 'exempt', 'error'] as const) {
        expect(items.find((i) => i.outcome === o)?.count).toBe(
          mine.filter((d) => d.outcome === o).length,
        );
      }
    }
  });

  it('cache breakdown, cache-hit-rate trend and top groups', async () => {
    const week = decisions.filter(inPeriod('7d'));
    const cache = (await get('/api/v1/charts/cache-breakdown?period=7d')).body;
    expect(cache.cached).toBe(week.filter((d) => d.cached).length);
    expect(cache.hit_rate).toBe(pct(week.filter((d) => d.cached).length, week.length));
    const trend = (await get('/api/v1/charts/cache-hit-rate-trend?period=7d&granularity=day')).body;
    const series = trend.series as { total: number; cached: number }[];
    expect(series.reduce((s, p) => s + p.total, 0)).toBe(week.length);
    expect(series.reduce((s, p) => s + p.cached, 0)).toBe(week.filter((d) => d.cached).length);
    // A group's series per day is cut from its hour rows: one point per UTC day.
    const beta = week.filter((d) => d.groupId === '-1002');
    const perDay = new Map<string, number>();
    for (const d of beta) {
      const day = d.at.toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    const betaTrend = (
      await get('/api/v1/charts/cache-hit-rate-trend?period=7d&granularity=day&group_id=-1002')
    ).body.series as { bucket: string; total: number }[];
    expect(
      new Map(betaTrend.filter((p) => p.total > 0).map((p) => [p.bucket.slice(0, 10), p.total])),
    ).toEqual(perDay);
    const top = (await get('/api/v1/charts/top-groups?period=30d&limit=2')).body;
    const counts = new Map<string, number>();
    for (const d of decisions.filter(inPeriod('30d')))
      counts.set(d.groupId, (counts.get(d.groupId) ?? 0) + 1);
    const expected = [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 2);
    expect(
      (top.items as { group_id: string; total: number }[]).map((i) => [i.group_id, i.total]),
    ).toEqual(expected);
  });

  it('latency distribution and trend: histogram, average and p95 from the rollup', async () => {
    const month = decisions.filter(inPeriod('30d'));
    const body = (await get('/api/v1/charts/latency-distribution?period=30d')).body;
    const buckets = body.buckets as { le_ms: number | null; count: number }[];
    expect(buckets).toHaveLength(latencyBoundsMs.length + 1);
    for (const [i, b] of buckets.entries()) {
      const lower = i === 0 ? -1 : latencyBoundsMs[i - 1]!;
      const upper = b.le_ms ?? Number.POSITIVE_INFINITY;
      expect(b.count).toBe(month.filter((d) => d.latencyMs > lower && d.latencyMs <= upper).length);
    }
    expect(body.avg_ms).toBe(Math.round(month.reduce((s, d) => s + d.latencyMs, 0) / month.length));
    // The p95 bucket: the smallest bound covering 95 % of decisions.
    const sorted = month.map((d) => d.latencyMs).sort((a, b) => a - b);
    const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
    expect(body.p95_ms).toBe(
      Math.min(latencyBoundsMs.find((b) => b >= p95) ?? p95, Math.max(...sorted)),
    );
    const trend = (await get('/api/v1/charts/latency-trend?period=30d')).body;
    const points = trend.series as { count: number; avg_ms: number; p95_ms: number | null }[];
    expect(points.reduce((s, p) => s + p.count, 0)).toBe(month.length);
  });

  it('hourly activity, groups status, API calls and bot health', async () => {
    const week = decisions.filter(inPeriod('7d'));
    const hourly = (await get('/api/v1/charts/hourly-activity?period=7d')).body;
    const items = hourly.items as { hour: number; count: number }[];
    expect(items).toHaveLength(24);
    for (const { hour, count } of items)
      expect(count).toBe(week.filter((d) => d.at.getUTCHours() === hour).length);
    expect((await get('/api/v1/charts/groups-status')).body).toEqual({
      total: 3,
      enabled: 3,
      disabled: 0,
      protected: 2,
      unprotected: 1,
      bot_absent: 0,
    });
    const api = (await get('/api/v1/charts/api-calls?period=7d')).body;
    expect(api.total).toBe(calls.length);
    expect(api.errors).toBe(calls.filter((c) => !c.ok).length);
    const methods = api.methods as { method: string; count: number }[];
    expect(methods.find((m) => m.method === 'getChatMember')?.count).toBe(30);
    expect((await get('/api/v1/charts/api-calls?period=7d&group_id=-1002')).body.total).toBe(0);
    const health = (await get('/api/v1/charts/bot-health?period=30d')).body;
    const bots = health.items as {
      bot_id: string;
      decisions: number;
      api_calls: number;
      status: string;
    }[];
    expect(bots.find((b) => b.bot_id === '7001')).toMatchObject({
      status: 'running',
      api_calls: 60,
      decisions: decisions.filter(inPeriod('30d')).filter((d) => d.botId === '7001').length,
    });
  });
});

describe('analytics', () => {
  it('overview, verifications per bucket and users', async () => {
    const day = decisions.filter(inPeriod('24h'));
    const o = (await get('/api/v1/analytics/overview?period=24h')).body;
    const verified = day.filter((d) => d.outcome === 'verified').length;
    const restricted = day.filter((d) => d.outcome === 'restricted').length;
    expect(o).toMatchObject({
      verifications: day.length,
      verified,
      restricted,
      success_rate: pct(verified, verified + restricted),
      groups: 3,
      channels: 2,
      bots: 1, // 7002 decided but never registered: no bot row
      users_total: new Set(decisions.map((d) => d.userId)).size,
      api_calls: calls.filter(inPeriod('24h')).length,
    });
    const v = (await get('/api/v1/analytics/verifications?period=30d&granularity=week&bot_id=7002'))
      .body;
    const series = v.series as { total: number; verified: number }[];
    const mine = decisions.filter(inPeriod('30d')).filter((d) => d.botId === '7002');
    expect(series.reduce((s, p) => s + p.total, 0)).toBe(mine.length);
    expect(series.reduce((s, p) => s + p.verified, 0)).toBe(
      mine.filter((d) => d.outcome === 'verified').length,
    );
    const u = (await get('/api/v1/analytics/users?period=90d&granularity=day')).body;
    const firstSeen = new Map<string, number>();
    for (const d of decisions)
      firstSeen.set(d.userId, Math.min(firstSeen.get(d.userId) ?? Infinity, d.at.getTime()));
    expect((u.series as { new_users: number }[]).reduce((s, p) => s + p.new_users, 0)).toBe(
      firstSeen.size,
    );
  });
});

describe('catalogue', () => {
  it('groups by status and sort, one group, channels, bots without tokens', async () => {
    const unprotected = (await get('/api/v1/groups?status=unprotected')).body;
    expect((unprotected.items as { group_id: string }[]).map((g) => g.group_id)).toEqual(['-1003']);
    const sorted = (await get('/api/v1/groups?sort=title&status=protected')).body;
    expect((sorted.items as { title: string }[]).map((g) => g.title)).toEqual(['Alpha', 'Beta']);
    const beta = (await get('/api/v1/groups/-1002')).body;
    expect(
      (beta.linked_channels as { channel_id: string }[]).map((c) => c.channel_id).sort(),
    ).toEqual(['-2001', '-2002']);
    expect((beta.week as { total: number }).total).toBe(
      decisions.filter(inPeriod('7d')).filter((d) => d.groupId === '-1002').length,
    );
    expect((await get('/api/v1/groups/-1999')).status).toBe(404);
    const channels = (await get('/api/v1/channels?search=@news')).body;
    expect(channels.items).toMatchObject([{ channel_id: '-2001', linked_groups: 2 }]);
    const news = (await get('/api/v1/channels/-2001')).body;
    expect((news.linked_groups as { group_id: string }[]).map((g) => g.group_id).sort()).toEqual([
      '-1001',
      '-1002',
    ]);
    const bots = await get('/api/v1/bots');
    expect((bots.body.items as unknown[]).length).toBe(1);
    expect(bots.raw.body).not.toMatch(/token/i);
    // -1001 and -1002 were linked by 7001; -1003 belongs to the bot of its first decision.
    const firstOf1003 = decisions.find((d) => d.groupId === '-1003')?.botId;
    expect((await get('/api/v1/bots/7001')).body).toMatchObject({
      username: 'gate_bot',
      groups: firstOf1003 === '7001' ? 3 : 2,
    });
  });
});

describe('operations', () => {
  it('audit (json and csv), commands, decoded events', async () => {
    const audit = (await get('/api/v1/audit?actor=a@example.com')).body;
    expect((audit.items as { action: string }[]).map((a) => a.action)).toEqual([
      'bot.add',
      'group.disable',
    ]);
    const csv = await side.app.inject({
      method: 'GET',
      url: '/api/v1/audit?format=csv&resource_type=bot',
    });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=cmd,""x"""`); // quoted, formula neutralised
    const failedOrDone = (await get('/api/v1/commands?status=succeeded')).body;
    expect(failedOrDone.items).toMatchObject([
      { command_id: 'c2', kind: 'unban', status: 'succeeded' },
    ]);
    const events = (await get('/api/v1/events?type=verify.decided&limit=3')).body;
    const items = events.items as { seq: number; type: string; data: { groupId: string } }[];
    expect(items).toHaveLength(3);
    expect(items.every((e) => e.type === 'verify.decided')).toBe(true);
    expect(items[0]!.seq).toBeGreaterThan(items[1]!.seq);
    const bySubject = (await get('/api/v1/events?subject=nz.evt.command.*.requested')).body;
    expect((bySubject.items as unknown[]).length).toBe(2);
    expect((await get('/api/v1/logs')).body).toEqual({ items: [] });
  });
});

describe('contract', () => {
  it('answers 400 naming the parameter at fault', async () => {
    for (const [url, field] of [
      ['/api/v1/charts/top-groups?limit=0', 'limit'],
      ['/api/v1/charts/latency-trend?period=1y', 'period'],
      ['/api/v1/analytics/verifications?granularity=minute', 'granularity'],
      ['/api/v1/charts/api-calls?bot_id=abc', 'bot_id'],
      ['/api/v1/groups?sort=size', 'sort'],
      ['/api/v1/audit?since=yesterday', 'since'],
      ['/api/v1/groups/abc', 'id'],
    ] as const) {
      const { status, body } = await get(url);
      expect({ url, status, field: body.field }).toEqual({ url, status: 400, field });
    }
  });

  it('serves an OpenAPI 3.1 document listing every endpoint with its parameters', async () => {
    const doc = (await get('/api/v1/openapi.json')).body as {
      openapi: string;
      paths: Record<string, { get: { parameters: { name: string }[] } }>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/groups/{id}',
        '/api/v1/charts/latency-trend',
        '/api/v1/events',
      ]),
    );
    const params = doc.paths['/api/v1/charts/top-groups']!.get.parameters.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['bot_id', 'group_id', 'period', 'limit']));
  });
});
