// GET /api/v1/charts/* and /api/v1/analytics/*: every number read from the rollups, each
// narrowed by the optional bot_id / group_id filters.
import {
  histogramQuantile,
  latencyBoundsMs,
  outcomes,
  type Database,
} from '@nezuko/analytics-projector/read-model';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { percent } from '../domain/dashboard.ts';
import { dayStart, periodWindow, totalsWindow, type Window } from '../domain/window.ts';
import { activeUserSeries, dailyActiveAverage } from '../queries/activeUsers.ts';
import {
  apiCallSeries,
  apiCallsByMethod,
  decisionsPerBot,
  groupStatusCounts,
  histogramSeries,
  hourOfDayCounts,
  latencyHistogram,
  outcomeSeries,
  outcomeTotals,
  topGroups,
  userCounts,
  type Filters,
} from '../queries/charts.ts';
import { countLinkedChannels } from '../queries/dashboard.ts';
import { listBots } from '../queries/catalogue.ts';
import { periodQuery, topGroupsQuery, trendQuery, usersQuery } from './querySchemas.ts';
import { getRoute, type ApiRegistry } from './route.ts';

interface Deps {
  readonly db: Kysely<Database>;
  readonly now: () => Date;
  readonly registry: ApiRegistry;
}

const filtersOf = (q: { bot_id?: string | undefined; group_id?: string | undefined }): Filters => ({
  botId: q.bot_id,
  groupId: q.group_id,
});

const latencyBuckets = (hist: readonly number[]) =>
  hist.map((count, i) => ({ le_ms: latencyBoundsMs[i] ?? null, count }));

export function chartRoutes(app: FastifyInstance, deps: Deps): void {
  const { db, now, registry } = deps;
  const route = (
    path: string,
    summary: string,
    tag: string,
  ): { path: string; summary: string; tag: string } => ({ path, summary, tag });

  const totals = async (window: Window, filters: Filters) => {
    const rows = await outcomeTotals(db, window, filters);
    const byOutcome = Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<
      (typeof outcomes)[number],
      number
    >;
    let total = 0;
    let cached = 0;
    let latencySum = 0;
    let latencyMax = 0;
    for (const r of rows) {
      byOutcome[r.outcome] += r.count;
      total += r.count;
      cached += r.cached ? r.count : 0;
      latencySum += r.latencySum;
      latencyMax = Math.max(latencyMax, r.latencyMax);
    }
    return { byOutcome, total, cached, latencySum, latencyMax, rows };
  };

  getRoute(
    app,
    registry,
    {
      ...route('/api/v1/charts/verification-distribution', 'Decisions per outcome', 'charts'),
      query: periodQuery,
    },
    async ({ query }) => {
      const t = await totals(totalsWindow(query.period, now()), filtersOf(query));
      return {
        period: query.period,
        total: t.total,
        items: outcomes.map((outcome) => ({
          outcome,
          count: t.byOutcome[outcome],
          percent: percent(t.byOutcome[outcome], t.total),
        })),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route('/api/v1/charts/cache-breakdown', 'Cached and live membership checks', 'charts'),
      query: periodQuery,
    },
    async ({ query }) => {
      const t = await totals(totalsWindow(query.period, now()), filtersOf(query));
      return {
        period: query.period,
        cached: t.cached,
        uncached: t.total - t.cached,
        hit_rate: percent(t.cached, t.total),
        by_outcome: outcomes.map((outcome) => {
          const cached = t.rows
            .filter((r) => r.outcome === outcome && r.cached)
            .reduce((s, r) => s + r.count, 0);
          return { outcome, cached, uncached: t.byOutcome[outcome] - cached };
        }),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route('/api/v1/charts/groups-status', 'Groups by protection status', 'charts'),
      query: periodQuery,
    },
    async ({ query }) => {
      const c = await groupStatusCounts(db, filtersOf(query));
      return {
        total: c.total,
        enabled: c.enabled,
        disabled: c.total - c.enabled,
        protected: c.protected,
        unprotected: c.total - c.protected,
        // The bot left these: they count as unprotected, whatever their links say.
        bot_absent: c.botAbsent,
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route(
        '/api/v1/charts/api-calls',
        'Telegram Bot API calls by method and over time',
        'charts',
      ),
      query: trendQuery,
    },
    async ({ query }) => {
      const window = periodWindow(query.period, now(), query.granularity);
      const filters = filtersOf(query);
      const [methods, series] = await Promise.all([
        apiCallsByMethod(db, window.from, filters),
        apiCallSeries(db, window.from, filters, window.granularity),
      ]);
      const total = methods.reduce((s, m) => s + m.count, 0);
      const errors = methods.reduce((s, m) => s + m.errors, 0);
      return {
        period: query.period,
        granularity: window.granularity,
        total,
        errors,
        error_rate: percent(errors, total),
        methods: methods.map((m) => ({
          method: m.method,
          count: m.count,
          errors: m.errors,
          avg_latency_ms: m.count === 0 ? 0 : Math.round(m.latencySum / m.count),
          p95_latency_ms: histogramQuantile(m.hist, 0.95, Number.POSITIVE_INFINITY),
        })),
        series: series.map((s) => ({
          bucket: s.bucket.toISOString(),
          count: s.count,
          errors: s.errors,
        })),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route('/api/v1/charts/hourly-activity', 'Decisions per hour of the day (UTC)', 'charts'),
      query: periodQuery,
    },
    async ({ query }) => {
      const window = periodWindow(query.period, now(), 'hour');
      const byHour = await hourOfDayCounts(db, window, filtersOf(query));
      return {
        period: query.period,
        items: Array.from({ length: 24 }, (_, hour) => ({ hour, count: byHour.get(hour) ?? 0 })),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route('/api/v1/charts/latency-distribution', 'Decision latency histogram', 'charts'),
      query: periodQuery,
    },
    async ({ query }) => {
      const window = totalsWindow(query.period, now());
      const filters = filtersOf(query);
      const [hist, t] = await Promise.all([
        latencyHistogram(db, window, filters),
        totals(window, filters),
      ]);
      return {
        period: query.period,
        buckets: latencyBuckets(hist),
        count: t.total,
        avg_ms: t.total === 0 ? 0 : Math.round(t.latencySum / t.total),
        p50_ms: histogramQuantile(hist, 0.5, t.latencyMax),
        p95_ms: histogramQuantile(hist, 0.95, t.latencyMax),
        p99_ms: histogramQuantile(hist, 0.99, t.latencyMax),
        max_ms: t.latencyMax,
      };
    },
  );

  getRoute(
    app,
    registry,
    { ...route('/api/v1/charts/top-groups', 'Busiest groups', 'charts'), query: topGroupsQuery },
    async ({ query }) => {
      const rows = await topGroups(
        db,
        totalsWindow(query.period, now()),
        filtersOf(query),
        query.limit,
      );
      return {
        period: query.period,
        items: rows.map((r) => ({
          ...r,
          success_rate: percent(r.verified, r.verified + r.restricted),
          cache_hit_rate: percent(r.cached, r.total),
        })),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route('/api/v1/charts/cache-hit-rate-trend', 'Cache hit rate over time', 'charts'),
      query: trendQuery,
    },
    async ({ query }) => {
      const window = periodWindow(query.period, now(), query.granularity);
      const rows = await outcomeSeries(db, window, filtersOf(query));
      const byBucket = new Map<number, { total: number; cached: number }>();
      for (const r of rows) {
        const e = byBucket.get(r.bucket.getTime()) ?? { total: 0, cached: 0 };
        e.total += r.count;
        e.cached += r.cached;
        byBucket.set(r.bucket.getTime(), e);
      }
      return {
        period: query.period,
        granularity: window.granularity,
        series: [...byBucket].map(([at, e]) => ({
          bucket: new Date(at).toISOString(),
          total: e.total,
          cached: e.cached,
          hit_rate: percent(e.cached, e.total),
        })),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route('/api/v1/charts/latency-trend', 'Average and p95 latency over time', 'charts'),
      query: trendQuery,
    },
    async ({ query }) => {
      const window = periodWindow(query.period, now(), query.granularity);
      const filters = filtersOf(query);
      const [rows, hists] = await Promise.all([
        outcomeSeries(db, window, filters),
        histogramSeries(db, window, filters),
      ]);
      const byBucket = new Map<number, { count: number; latencySum: number }>();
      for (const r of rows) {
        const e = byBucket.get(r.bucket.getTime()) ?? { count: 0, latencySum: 0 };
        e.count += r.count;
        e.latencySum += r.latencySum;
        byBucket.set(r.bucket.getTime(), e);
      }
      return {
        period: query.period,
        granularity: window.granularity,
        series: [...byBucket].map(([at, e]) => {
          const h = hists.get(at);
          return {
            bucket: new Date(at).toISOString(),
            count: e.count,
            avg_ms: e.count === 0 ? 0 : Math.round(e.latencySum / e.count),
            p95_ms: h ? histogramQuantile(h.hist, 0.95, h.max) : null,
          };
        }),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route(
        '/api/v1/charts/bot-health',
        'Per bot: status, uptime, API errors, decisions',
        'charts',
      ),
      query: periodQuery,
    },
    async ({ query }) => {
      const filters = filtersOf(query);
      const [bots, decisions] = await Promise.all([
        listBots(db, filters.botId),
        decisionsPerBot(db, totalsWindow(query.period, now()), filters),
      ]);
      return {
        period: query.period,
        items: bots.map((b) => {
          const d = decisions.get(b.bot_id) ?? { total: 0, errors: 0 };
          return {
            ...b,
            decisions: d.total,
            decision_errors: d.errors,
            api_error_rate: percent(b.api_errors, b.api_calls),
            healthy: b.status === 'running' && b.lifecycle === 'enabled',
          };
        }),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route('/api/v1/analytics/overview', 'Totals over a period', 'analytics'),
      query: periodQuery,
    },
    async ({ query }) => {
      const window = totalsWindow(query.period, now());
      const filters = filtersOf(query);
      const [t, hist, groups, channels, bots, users, methods, dailyActive] = await Promise.all([
        totals(window, filters),
        latencyHistogram(db, window, filters),
        groupStatusCounts(db, filters),
        countLinkedChannels(db),
        listBots(db, filters.botId),
        userCounts(db, window.from, 'day'),
        apiCallsByMethod(db, window.from, filters),
        dailyActiveAverage(db, dayStart(window.from), dayStart(now())),
      ]);
      const { verified, restricted, exempt, error } = t.byOutcome;
      return {
        period: query.period,
        verifications: t.total,
        verified,
        restricted,
        exempt,
        errors: error,
        success_rate: percent(verified, verified + restricted),
        cache_hit_rate: percent(t.cached, t.total),
        avg_latency_ms: t.total === 0 ? 0 : Math.round(t.latencySum / t.total),
        p95_latency_ms: histogramQuantile(hist, 0.95, t.latencyMax),
        groups: groups.total,
        protected_groups: groups.protected,
        channels,
        bots: bots.length,
        bots_running: bots.filter((b) => b.status === 'running').length,
        users_total: users.total,
        daily_active_users: dailyActive,
        api_calls: methods.reduce((s, m) => s + m.count, 0),
        api_errors: methods.reduce((s, m) => s + m.errors, 0),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route('/api/v1/analytics/verifications', 'Decisions per bucket and outcome', 'analytics'),
      query: trendQuery,
    },
    async ({ query }) => {
      const window = periodWindow(query.period, now(), query.granularity);
      const rows = await outcomeSeries(db, window, filtersOf(query));
      const byBucket = new Map<number, Record<string, number>>();
      for (const r of rows) {
        const e = byBucket.get(r.bucket.getTime()) ?? {
          verified: 0,
          restricted: 0,
          exempt: 0,
          error: 0,
          total: 0,
          cached: 0,
        };
        e[r.outcome] = (e[r.outcome] ?? 0) + r.count;
        e.total = (e.total ?? 0) + r.count;
        e.cached = (e.cached ?? 0) + r.cached;
        byBucket.set(r.bucket.getTime(), e);
      }
      return {
        period: query.period,
        granularity: window.granularity,
        series: [...byBucket].map(([at, e]) => ({ bucket: new Date(at).toISOString(), ...e })),
      };
    },
  );

  getRoute(
    app,
    registry,
    {
      ...route(
        '/api/v1/analytics/users',
        'Members seen: total, new and active (distinct with a decision) per bucket',
        'analytics',
      ),
      query: usersQuery,
    },
    async ({ query }) => {
      const window = periodWindow(query.period, now(), query.granularity);
      const [users, active] = await Promise.all([
        userCounts(db, window.from, window.granularity),
        activeUserSeries(db, window.from, window.granularity),
      ]);
      const buckets = new Map<number, { new_users: number; active_users: number }>();
      const at = (bucket: Date) => {
        const entry = buckets.get(bucket.getTime()) ?? { new_users: 0, active_users: 0 };
        buckets.set(bucket.getTime(), entry);
        return entry;
      };
      for (const s of users.series) at(s.bucket).new_users = s.newUsers;
      for (const s of active) at(s.bucket).active_users = s.users;
      return {
        period: query.period,
        granularity: window.granularity,
        total_users: users.total,
        new_users: users.series.reduce((sum, p) => sum + p.newUsers, 0),
        peak_active_users: Math.max(0, ...active.map((s) => s.users)),
        series: [...buckets]
          .sort(([a], [b]) => a - b)
          .map(([bucket, counts]) => ({ bucket: new Date(bucket).toISOString(), ...counts })),
      };
    },
  );
}
