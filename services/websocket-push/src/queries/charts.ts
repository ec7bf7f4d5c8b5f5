// Chart and analytics queries. All of them read the rollups (verification_hour / _day,
// api_call_hour) or small read models, never the raw logs, so their cost depends on the
// number of buckets and keys in the window, not on the number of events.
import {
  histogramSumSql,
  type Database,
  type Outcome,
} from '@nezuko/analytics-projector/read-model';
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

type PhysicalRollup = 'verification_hour' | 'verification_bot_hour' | 'verification_bot_day';

/**
 * The rollup a read uses: filtering by group, the group's hours (an index range on
 * (group_id, bucket): at most 24 × 90 buckets × outcome × cached rows whatever the group's
 * traffic; a per-group day rollup cost the projector a tenth of its throughput); otherwise
 * the per-bot rollup of the window's grain, whose size does not grow with groups.
 */
export function rollupTable(window: Window, filters: Filters): PhysicalRollup {
  if (filters.groupId !== undefined) return 'verification_hour';
  return window.grain === 'hour' ? 'verification_bot_hour' : 'verification_bot_day';
}

/** A series' bucket: the row's bucket cut to the window's granularity (UTC). */
const truncBucket = (window: Window) =>
  sql<Date>`date_trunc(${sql.lit(window.granularity)}, bucket, 'UTC')`;

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
      from ${sql.table(rollupTable(window, filters))}
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
  const { rows } = await sql<{ hist: string[] }>`
    select ${sql.raw(histogramSumSql('latency_hist'))} as hist
      from ${sql.table(rollupTable(window, filters))}
     where ${rollupWhere(window, filters)}
  `.execute(db);
  return (rows[0]?.hist ?? []).map(Number);
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
      from ${sql.table(rollupTable(window, filters))}
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
  const { rows } = await sql<{ bucket: Date; hist: string[]; max: number }>`
    select ${truncBucket(window)} as bucket, ${sql.raw(histogramSumSql('latency_hist'))} as hist,
           max(latency_ms_max) as max
      from ${sql.table(rollupTable(window, filters))}
     where ${rollupWhere(window, filters)}
     group by 1
  `.execute(db);
  return new Map(rows.map((r) => [r.bucket.getTime(), { hist: r.hist.map(Number), max: r.max }]));
}

/** Counts per hour of the day (UTC, 0–23) over the window of the hour rollup. */
export async function hourOfDayCounts(
  db: Db,
  window: Window,
  filters: Filters,
): Promise<Map<number, number>> {
  const { rows } = await sql<{ hour: number; n: string }>`
    select extract(hour from bucket at time zone 'UTC')::int as hour, sum(count) as n
      from ${sql.table(filters.groupId === undefined ? 'verification_bot_hour' : 'verification_hour')}
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
      from (select group_id, sum(count) as total, sum(verified) as verified,
                   sum(restricted) as restricted, sum(cached) as cached
              from ${sql.table(window.grain === 'hour' ? 'verification_group_hour' : 'verification_group_day')}
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
    count: string;
    errors: string;
    lat: string;
    hist: string[];
  }>`
    select method, sum(count) as count, coalesce(sum(count) filter (where not ok), 0) as errors,
           sum(latency_ms_sum) as lat, ${sql.raw(histogramSumSql('latency_hist'))} as hist
      from ${sql.table(filters.groupId === undefined ? 'api_call_bot_hour' : 'api_call_hour')}
     where bucket >= ${from}
       ${filters.botId === undefined ? sql`` : sql`and bot_id = ${filters.botId}`}
       ${filters.groupId === undefined ? sql`` : sql`and group_id = ${filters.groupId}`}
     group by method
     order by 2 desc, 1
  `.execute(db);
  return rows.map((r) => ({
    method: r.method,
    count: Number(r.count),
    errors: Number(r.errors),
    latencySum: Number(r.lat),
    hist: r.hist.map(Number),
  }));
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
      from ${sql.table(filters.groupId === undefined ? 'api_call_bot_hour' : 'api_call_hour')}
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
): Promise<{ total: number; enabled: number; protected: number; botAbsent: number }> {
  const { rows } = await sql<{
    total: string;
    enabled: string;
    protected: string;
    bot_absent: string;
  }>`
    select count(*) as total,
           count(*) filter (where g.enabled) as enabled,
           count(*) filter (where g.enabled and g.bot_present and exists (
             select 1 from group_channels gc where gc.group_id = g.group_id)) as protected,
           count(*) filter (where not g.bot_present) as bot_absent
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
    botAbsent: Number(r?.bot_absent ?? 0),
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
      from ${sql.table(rollupTable(window, filters))}
     where ${rollupWhere(window, filters)}
     group by bot_id
  `.execute(db);
  return new Map(rows.map((r) => [r.bot_id, { total: Number(r.n), errors: Number(r.errors) }]));
}

/** Members: the total (a counter) and first-seen per bucket (an hourly rollup). */
export async function userCounts(
  db: Db,
  from: Date,
  granularity: 'hour' | 'day' | 'week',
): Promise<{ total: number; series: { bucket: Date; newUsers: number }[] }> {
  const [totals, series] = await Promise.all([
    sql<{ total: string }>`
      select coalesce(max(value), 0) as total from read_model_counters where name = 'users'
    `.execute(db),
    sql<{ bucket: Date; n: string }>`
      select date_trunc(${granularity}, bucket, 'UTC') as bucket, sum(new_users) as n
        from user_growth_hour where bucket >= ${from} group by 1 order by 1
    `.execute(db),
  ]);
  return {
    total: Number(totals.rows[0]?.total ?? 0),
    series: series.rows.map((r) => ({ bucket: r.bucket, newUsers: Number(r.n) })),
  };
}
