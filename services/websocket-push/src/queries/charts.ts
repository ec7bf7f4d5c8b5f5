// Chart and analytics queries. All of them read the rollups (verification_hour / _day,
// api_call_hour) or small read models, never the raw logs, so their cost depends on the
// number of buckets and keys in the window, not on the number of events.
import type { Database, Outcome } from '@nezuko/analytics-projector/read-model';
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Window } from '../domain/window.ts';

type Db = Kysely<Database>;

export interface Filters {
  readonly botId?: string | undefined;
  readonly groupId?: string | undefined;
}

/** `where` for a rollup read: the window and the optional bot/group filters. */
function rollupWhere(window: Window, filters: Filters): Expression<SqlBool> {
  return sql<SqlBool>`bucket >= ${window.from}
    ${filters.botId === undefined ? sql`` : sql`and bot_id = ${filters.botId}`}
    ${filters.groupId === undefined ? sql`` : sql`and group_id = ${filters.groupId}`}`;
}

const truncBucket = (window: Window) =>
  window.granularity === 'week' ? sql<Date>`date_trunc('week', bucket, 'UTC')` : sql<Date>`bucket`;

export interface OutcomeTotals {
  readonly outcome: Outcome;
  readonly cached: boolean;
  readonly count: number;
  readonly latencySum: number;
  readonly latencyMax: number;
}

/** Counts per outcome and cached flag over the window. */
export async function outcomeTotals(
  db: Db,
  window: Window,
  filters: Filters,
): Promise<OutcomeTotals[]> {
  const { rows } = await sql<{
    outcome: Outcome;
    cached: boolean;
    n: string;
    lat: string;
    max: number;
  }>`
    select outcome, cached, sum(count) as n, sum(latency_ms_sum) as lat, max(latency_ms_max) as max
      from ${sql.table(window.table)}
     where ${rollupWhere(window, filters)}
     group by outcome, cached
  `.execute(db);
  return rows.map((r) => ({
    outcome: r.outcome,
    cached: r.cached,
    count: Number(r.n),
    latencySum: Number(r.lat),
    latencyMax: r.max,
  }));
}

/** The window's latency histogram (element-wise sum of the rows' histograms). */
export async function latencyHistogram(
  db: Db,
  window: Window,
  filters: Filters,
): Promise<number[]> {
  const { rows } = await sql<{ i: string; n: string }>`
    select h.i, sum(h.n) as n
      from ${sql.table(window.table)} r, unnest(r.latency_hist) with ordinality as h(n, i)
     where ${rollupWhere(window, filters)}
     group by h.i order by h.i
  `.execute(db);
  const hist: number[] = [];
  for (const r of rows) hist[Number(r.i) - 1] = Number(r.n);
  return Array.from(hist, (n) => n ?? 0);
}

export interface SeriesRow {
  readonly bucket: Date;
  readonly outcome: Outcome;
  readonly count: number;
  readonly cached: number;
  readonly latencySum: number;
}

/** Counts per bucket (hour, day or ISO week) and outcome. */
export async function outcomeSeries(
  db: Db,
  window: Window,
  filters: Filters,
): Promise<SeriesRow[]> {
  const bucket = truncBucket(window);
  const { rows } = await sql<{
    bucket: Date;
    outcome: Outcome;
    n: string;
    cached: string;
    lat: string;
  }>`
    select ${bucket} as bucket, outcome, sum(count) as n,
           coalesce(sum(count) filter (where cached), 0) as cached, sum(latency_ms_sum) as lat
      from ${sql.table(window.table)}
     where ${rollupWhere(window, filters)}
     group by 1, 2 order by 1
  `.execute(db);
  return rows.map((r) => ({
    bucket: r.bucket,
    outcome: r.outcome,
    count: Number(r.n),
    cached: Number(r.cached),
    latencySum: Number(r.lat),
  }));
}

/** Histograms per bucket, for p95 over time. */
export async function histogramSeries(
  db: Db,
  window: Window,
  filters: Filters,
): Promise<Map<number, { hist: number[]; max: number }>> {
  const bucket = truncBucket(window);
  const { rows } = await sql<{ bucket: Date; i: string; n: string; max: number }>`
    select b.bucket, h.i, sum(h.n) as n, max(b.latency_ms_max) as max
      from (select ${bucket} as bucket, latency_hist, latency_ms_max
              from ${sql.table(window.table)} where ${rollupWhere(window, filters)}) b,
           unnest(b.latency_hist) with ordinality as h(n, i)
     group by 1, 2
  `.execute(db);
  const byBucket = new Map<number, { hist: number[]; max: number }>();
  for (const r of rows) {
    const key = r.bucket.getTime();
    const entry = byBucket.get(key) ?? { hist: [], max: 0 };
    entry.hist[Number(r.i) - 1] = Number(r.n);
    entry.max = Math.max(entry.max, r.max);
    byBucket.set(key, entry);
  }
  for (const entry of byBucket.values()) entry.hist = Array.from(entry.hist, (n) => n ?? 0);
  return byBucket;
}

/** Counts per hour of the day (UTC, 0–23) over the window of the hour rollup. */
export async function hourOfDayCounts(
  db: Db,
  window: Window,
  filters: Filters,
): Promise<Map<number, number>> {
  const { rows } = await sql<{ hour: number; n: string }>`
    select extract(hour from bucket at time zone 'UTC')::int as hour, sum(count) as n
      from verification_hour
     where ${rollupWhere(window, filters)}
     group by 1
  `.execute(db);
  return new Map(rows.map((r) => [r.hour, Number(r.n)]));
}

export interface TopGroupRow {
  readonly group_id: string;
  readonly title: string | null;
  readonly total: number;
  readonly verified: number;
  readonly restricted: number;
  readonly cached: number;
}

export async function topGroups(
  db: Db,
  window: Window,
  filters: Filters,
  limit: number,
): Promise<TopGroupRow[]> {
  const { rows } = await sql<{
    group_id: string;
    title: string | null;
    total: string;
    verified: string;
    restricted: string;
    cached: string;
  }>`
    select t.group_id, g.title, t.total, t.verified, t.restricted, t.cached
      from (select group_id, sum(count) as total,
                   coalesce(sum(count) filter (where outcome = 'verified'), 0) as verified,
                   coalesce(sum(count) filter (where outcome = 'restricted'), 0) as restricted,
                   coalesce(sum(count) filter (where cached), 0) as cached
              from ${sql.table(window.table)}
             where ${rollupWhere(window, filters)}
             group by group_id
             order by total desc, group_id
             limit ${limit}) t
      left join groups g on g.group_id = t.group_id
     order by t.total desc, t.group_id
  `.execute(db);
  return rows.map((r) => ({
    group_id: r.group_id,
    title: r.title,
    total: Number(r.total),
    verified: Number(r.verified),
    restricted: Number(r.restricted),
    cached: Number(r.cached),
  }));
}

export interface ApiMethodRow {
  readonly method: string;
  readonly count: number;
  readonly errors: number;
  readonly latencySum: number;
  readonly hist: number[];
}

export async function apiCallsByMethod(
  db: Db,
  from: Date,
  filters: Filters,
): Promise<ApiMethodRow[]> {
  const { rows } = await sql<{
    method: string;
    i: string;
    n: string;
    errors: string;
    count: string;
    lat: string;
  }>`
    with rows as (
      select method, ok, count, latency_ms_sum, latency_hist from api_call_hour
       where bucket >= ${from}
         ${filters.botId === undefined ? sql`` : sql`and bot_id = ${filters.botId}`}
         ${filters.groupId === undefined ? sql`` : sql`and group_id = ${filters.groupId}`}
    ), totals as (
      select method, sum(count) as count, coalesce(sum(count) filter (where not ok), 0) as errors,
             sum(latency_ms_sum) as lat
        from rows group by method
    )
    select t.method, t.count, t.errors, t.lat, h.i, sum(h.n) as n
      from totals t join rows r on r.method = t.method,
           unnest(r.latency_hist) with ordinality as h(n, i)
     group by t.method, t.count, t.errors, t.lat, h.i
  `.execute(db);
  const byMethod = new Map<string, ApiMethodRow>();
  for (const r of rows) {
    let row = byMethod.get(r.method);
    if (!row) {
      row = {
        method: r.method,
        count: Number(r.count),
        errors: Number(r.errors),
        latencySum: Number(r.lat),
        hist: [],
      };
      byMethod.set(r.method, row);
    }
    row.hist[Number(r.i) - 1] = Number(r.n);
  }
  return [...byMethod.values()]
    .map((r) => ({ ...r, hist: Array.from(r.hist, (n) => n ?? 0) }))
    .sort((a, b) => b.count - a.count || a.method.localeCompare(b.method));
}

export async function apiCallSeries(
  db: Db,
  from: Date,
  filters: Filters,
  granularity: 'hour' | 'day' | 'week',
): Promise<{ bucket: Date; count: number; errors: number }[]> {
  const { rows } = await sql<{ bucket: Date; n: string; errors: string }>`
    select date_trunc(${granularity}, bucket, 'UTC') as bucket, sum(count) as n,
           coalesce(sum(count) filter (where not ok), 0) as errors
      from api_call_hour
     where bucket >= ${from}
       ${filters.botId === undefined ? sql`` : sql`and bot_id = ${filters.botId}`}
       ${filters.groupId === undefined ? sql`` : sql`and group_id = ${filters.groupId}`}
     group by 1 order by 1
  `.execute(db);
  return rows.map((r) => ({ bucket: r.bucket, count: Number(r.n), errors: Number(r.errors) }));
}

export async function groupStatusCounts(
  db: Db,
  filters: Filters,
): Promise<{ total: number; enabled: number; protected: number }> {
  const { rows } = await sql<{ total: string; enabled: string; protected: string }>`
    select count(*) as total,
           count(*) filter (where g.enabled) as enabled,
           count(*) filter (where g.enabled and exists (
             select 1 from group_channels gc where gc.group_id = g.group_id)) as protected
      from groups g
     where true
       ${filters.botId === undefined ? sql`` : sql`and g.bot_id = ${filters.botId}`}
       ${filters.groupId === undefined ? sql`` : sql`and g.group_id = ${filters.groupId}`}
  `.execute(db);
  const r = rows[0];
  return {
    total: Number(r?.total ?? 0),
    enabled: Number(r?.enabled ?? 0),
    protected: Number(r?.protected ?? 0),
  };
}

/** Decisions per bot over the window (for bot health). */
export async function decisionsPerBot(
  db: Db,
  window: Window,
  filters: Filters,
): Promise<Map<string, { total: number; errors: number }>> {
  const { rows } = await sql<{ bot_id: string; n: string; errors: string }>`
    select bot_id, sum(count) as n, coalesce(sum(count) filter (where outcome = 'error'), 0) as errors
      from ${sql.table(window.table)}
     where ${rollupWhere(window, filters)}
     group by bot_id
  `.execute(db);
  return new Map(rows.map((r) => [r.bot_id, { total: Number(r.n), errors: Number(r.errors) }]));
}

export async function userCounts(
  db: Db,
  from: Date,
  granularity: 'hour' | 'day' | 'week',
): Promise<{ total: number; active: number; series: { bucket: Date; newUsers: number }[] }> {
  const [totals, series] = await Promise.all([
    sql<{ total: string; active: string }>`
      select (select count(*) from users) as total,
             (select count(*) from users where last_seen_at >= ${from}) as active
    `.execute(db),
    sql<{ bucket: Date; n: string }>`
      select date_trunc(${granularity}, first_seen_at, 'UTC') as bucket, count(*) as n
        from users where first_seen_at >= ${from} group by 1 order by 1
    `.execute(db),
  ]);
  return {
    total: Number(totals.rows[0]?.total ?? 0),
    active: Number(totals.rows[0]?.active ?? 0),
    series: series.rows.map((r) => ({ bucket: r.bucket, newUsers: Number(r.n) })),
  };
}
