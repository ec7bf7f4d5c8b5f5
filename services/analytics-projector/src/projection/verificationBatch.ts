// Decisions are the bulk of the stream, so a batch writes a run of them with a handful of
// set-based statements: groups ensured at once, the log appended with one unnest insert,
// and each rollup upserted once per key with counts aggregated here first.
import { sql, type Kysely, type Transaction } from 'kysely';
import { emptyHistogram, histogramAddSql, latencyBucket } from '../readModel/histogram.ts';
import type { Database } from '../readModel/index.ts';
import type { VerificationRecord } from './records.ts';

type Trx = Transaction<Database> | Kysely<Database>;

export type RollupTable =
  | 'verification_minute'
  | 'verification_hour'
  | 'verification_day'
  | 'verification_bot_hour'
  | 'verification_bot_day';
const minuteOf = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000);
const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
const dayOf = (at: Date) => new Date(Math.floor(at.getTime() / 86_400_000) * 86_400_000);
/** Per-group rollups, and per-bot ones (group_id 0) that charts without a group filter read. */
const rollups: readonly [RollupTable, (at: Date) => Date, boolean][] = [
  ['verification_minute', minuteOf, true],
  ['verification_hour', hourOf, true],
  ['verification_day', dayOf, true],
  ['verification_bot_hour', hourOf, false],
  ['verification_bot_day', dayOf, false],
];

export interface RollupRow {
  readonly bucket: Date;
  readonly groupId: string;
  readonly botId: string;
  readonly outcome: string;
  readonly cached: boolean;
  count: number;
  latencySum: number;
  latencyMax: number;
  readonly hist: number[];
}

/** Pure: the rollup rows a set of decisions adds to one granularity. */
export function aggregateRollup(
  records: readonly VerificationRecord[],
  bucketOf: (at: Date) => Date,
  byGroup = true,
): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const r of records) {
    const bucket = bucketOf(r.occurredAt);
    const groupId = byGroup ? r.groupId : '0';
    const key = `${bucket.getTime()}|${groupId}|${r.botId}|${r.outcome}|${r.cached}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        bucket,
        groupId,
        botId: r.botId,
        outcome: r.outcome,
        cached: r.cached,
        count: 0,
        latencySum: 0,
        latencyMax: 0,
        hist: emptyHistogram(),
      };
      rows.set(key, row);
    }
    row.count += 1;
    row.latencySum += r.latencyMs;
    row.latencyMax = Math.max(row.latencyMax, r.latencyMs);
    row.hist[latencyBucket(r.latencyMs)]! += 1;
  }
  return [...rows.values()];
}

const pgArray = (values: readonly string[]) => `{${values.join(',')}}`;

/** Appends decisions to the log and the rollups; returns how many were new. */
export async function recordVerifications(
  trx: Trx,
  records: readonly VerificationRecord[],
): Promise<number> {
  if (records.length === 0) return 0;
  const firstByGroup = new Map<string, VerificationRecord>();
  for (const r of records) if (!firstByGroup.has(r.groupId)) firstByGroup.set(r.groupId, r);
  const groups = [...firstByGroup.values()];
  // A decision can be the first thing we hear of a group (linked before this projector).
  await sql`
    insert into groups (group_id, title, bot_id, created_at, updated_at)
    select g, null, nullif(b, 0), t, t
      from unnest(${groups.map((r) => r.groupId)}::bigint[], ${groups.map((r) => r.botId)}::bigint[],
                  ${groups.map((r) => r.occurredAt.toISOString())}::timestamptz[]) as x(g, b, t)
    on conflict (group_id) do nothing
  `.execute(trx);
  // Keyed by stream sequence: even if the checkpoint were bypassed, a decision counts once.
  const inserted = await sql<{ stream_seq: string }>`
    insert into verification_log (stream_seq, event_id, occurred_at, group_id, bot_id, user_id,
      username, first_name, outcome, trigger, cached, latency_ms, missing_channel_ids, reason)
    select s, e, t, g, b, u, un, fn, o, tr, c, l, m::bigint[], re
      from unnest(
        ${records.map((r) => r.seq)}::bigint[], ${records.map((r) => r.eventId)}::text[],
        ${records.map((r) => r.occurredAt.toISOString())}::timestamptz[],
        ${records.map((r) => r.groupId)}::bigint[], ${records.map((r) => r.botId)}::bigint[],
        ${records.map((r) => r.userId)}::bigint[], ${records.map((r) => r.username)}::text[],
        ${records.map((r) => r.firstName)}::text[], ${records.map((r) => r.outcome)}::text[],
        ${records.map((r) => r.trigger)}::text[], ${records.map((r) => r.cached)}::boolean[],
        ${records.map((r) => r.latencyMs)}::integer[],
        ${records.map((r) => pgArray(r.missingChannelIds))}::text[],
        ${records.map((r) => r.reason)}::text[]
      ) as x(s, e, t, g, b, u, un, fn, o, tr, c, l, m, re)
    on conflict do nothing
    returning stream_seq
  `.execute(trx);
  let fresh = records;
  if (inserted.rows.length !== records.length) {
    const seqs = new Set(inserted.rows.map((row) => Number(row.stream_seq)));
    fresh = records.filter((r) => seqs.has(r.seq));
  }
  for (const [table, bucketOf, byGroup] of rollups) {
    await upsertRollup(trx, table, aggregateRollup(fresh, bucketOf, byGroup));
  }
  await upsertGroupTotals(trx, 'verification_group_hour', fresh, hourOf);
  await upsertGroupTotals(trx, 'verification_group_day', fresh, dayOf);
  await upsertUsers(trx, fresh);
  return fresh.length;
}

export async function upsertRollup(
  trx: Trx,
  table: RollupTable,
  rows: readonly RollupRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into ${sql.table(table)} as r
      (bucket, group_id, bot_id, outcome, cached, count, latency_ms_sum, latency_ms_max, latency_hist)
    select k, g, b, o, c, n, s, m, h::bigint[]
      from unnest(
        ${rows.map((r) => r.bucket.toISOString())}::timestamptz[],
        ${rows.map((r) => r.groupId)}::bigint[], ${rows.map((r) => r.botId)}::bigint[],
        ${rows.map((r) => r.outcome)}::text[], ${rows.map((r) => r.cached)}::boolean[],
        ${rows.map((r) => r.count)}::bigint[], ${rows.map((r) => r.latencySum)}::bigint[],
        ${rows.map((r) => r.latencyMax)}::integer[],
        ${rows.map((r) => pgArray(r.hist.map(String)))}::text[]
      ) as x(k, g, b, o, c, n, s, m, h)
    on conflict (bucket, group_id, bot_id, outcome, cached) do update set
      count = r.count + excluded.count,
      latency_ms_sum = r.latency_ms_sum + excluded.latency_ms_sum,
      latency_ms_max = greatest(r.latency_ms_max, excluded.latency_ms_max),
      latency_hist = ${sql.raw(histogramAddSql('r.latency_hist', 'excluded.latency_hist'))}
  `.execute(trx);
}

/** Members seen: one upsert per distinct user of the batch (records are in stream order). */
async function upsertUsers(trx: Trx, records: readonly VerificationRecord[]): Promise<void> {
  if (records.length === 0) return;
  const users = new Map<
    string,
    { first: VerificationRecord; last: VerificationRecord; n: number }
  >();
  for (const r of records) {
    const user = users.get(r.userId);
    if (user) {
      user.last = r;
      user.n += 1;
    } else users.set(r.userId, { first: r, last: r, n: 1 });
  }
  const list = [...users.values()];
  const { rows } = await sql<{ inserted: boolean; first_seen_at: Date }>`
    insert into users as u (user_id, username, first_name, first_seen_at, last_seen_at, decisions, last_outcome)
    select * from unnest(
      ${list.map((u) => u.last.userId)}::bigint[], ${list.map((u) => u.last.username)}::text[],
      ${list.map((u) => u.last.firstName)}::text[],
      ${list.map((u) => u.first.occurredAt.toISOString())}::timestamptz[],
      ${list.map((u) => u.last.occurredAt.toISOString())}::timestamptz[],
      ${list.map((u) => u.n)}::bigint[], ${list.map((u) => u.last.outcome)}::text[])
    on conflict (user_id) do update set
      username = coalesce(excluded.username, u.username),
      first_name = coalesce(excluded.first_name, u.first_name),
      first_seen_at = least(u.first_seen_at, excluded.first_seen_at),
      last_seen_at = greatest(u.last_seen_at, excluded.last_seen_at),
      decisions = u.decisions + excluded.decisions,
      last_outcome = case when excluded.last_seen_at >= u.last_seen_at
                          then excluded.last_outcome else u.last_outcome end
    returning (xmax = 0) as inserted, first_seen_at
  `.execute(trx);
  // The total is a counter: count(*) over millions of users is too slow for a dashboard.
  const inserted = rows.filter((r) => r.inserted);
  const added = inserted.length;
  if (added > 0) {
    const perHour = new Map<number, number>();
    for (const r of inserted) {
      const hour = hourOf(r.first_seen_at).getTime();
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    const hours = [...perHour.entries()];
    await sql`
      insert into user_growth_hour as g (bucket, new_users)
      select * from unnest(${hours.map(([h]) => new Date(h).toISOString())}::timestamptz[],
                           ${hours.map(([, n]) => n)}::bigint[])
      on conflict (bucket) do update set new_users = g.new_users + excluded.new_users
    `.execute(trx);
    await sql`
      insert into read_model_counters (name, value) values ('users', ${added})
      on conflict (name) do update set value = read_model_counters.value + excluded.value
    `.execute(trx);
  }
}

/** Narrow per-group totals (no outcome/cached split): what top-groups ranks by. */
async function upsertGroupTotals(
  trx: Trx,
  table: 'verification_group_hour' | 'verification_group_day',
  records: readonly VerificationRecord[],
  bucketOf: (at: Date) => Date,
): Promise<void> {
  if (records.length === 0) return;
  const rows = new Map<
    string,
    { bucket: Date; groupId: string; botId: string; n: number; v: number; r: number; c: number }
  >();
  for (const rec of records) {
    const bucket = bucketOf(rec.occurredAt);
    const key = `${bucket.getTime()}|${rec.groupId}|${rec.botId}`;
    let row = rows.get(key);
    if (!row) {
      row = { bucket, groupId: rec.groupId, botId: rec.botId, n: 0, v: 0, r: 0, c: 0 };
      rows.set(key, row);
    }
    row.n += 1;
    row.v += rec.outcome === 'verified' ? 1 : 0;
    row.r += rec.outcome === 'restricted' ? 1 : 0;
    row.c += rec.cached ? 1 : 0;
  }
  const list = [...rows.values()];
  await sql`
    insert into ${sql.table(table)} as t (bucket, group_id, bot_id, count, verified, restricted, cached)
    select * from unnest(
      ${list.map((r) => r.bucket.toISOString())}::timestamptz[], ${list.map((r) => r.groupId)}::bigint[],
      ${list.map((r) => r.botId)}::bigint[], ${list.map((r) => r.n)}::bigint[],
      ${list.map((r) => r.v)}::bigint[], ${list.map((r) => r.r)}::bigint[], ${list.map((r) => r.c)}::bigint[])
    on conflict (bucket, group_id, bot_id) do update set
      count = t.count + excluded.count, verified = t.verified + excluded.verified,
      restricted = t.restricted + excluded.restricted, cached = t.cached + excluded.cached
  `.execute(trx);
}
