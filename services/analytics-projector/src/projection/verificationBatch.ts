// Decisions are the bulk of the stream, so a batch writes a run of them in ONE statement:
// the decisions travel once (as arrays), and data-modifying CTEs ensure the groups, append
// the log and derive every rollup, the members, their growth and counter, and the active
// users (activeUsers.ts) from the rows the log actually took. Aggregating in Postgres
// instead of sending each rollup's rows separately was measured (docs/BENCHMARKS.md): a
// dozen round trips and re-encoded arrays per batch were most of the projector's time on a
// loaded machine.
import { sql, type RawBuilder } from 'kysely';
import { histogramAddSql, histogramAggregateSql } from '../readModel/histogram.ts';
import { activeUsersCtes } from './activeUsers.ts';
import type { VerificationRecord } from './records.ts';

const pgArray = (values: readonly string[]) => `{${values.join(',')}}`;

/** Upsert of one outcome rollup from the CTE `l` (the decisions the log took). */
const rollup = (table: string, unit: 'minute' | 'hour' | 'day', perGroup: boolean) => `
  insert into ${table} as r
    (bucket, group_id, bot_id, outcome, cached, count, latency_ms_sum, latency_ms_max, latency_hist)
  select date_trunc('${unit}', occurred_at, 'UTC'), ${perGroup ? 'group_id' : '0'}, bot_id, outcome,
         cached, count(*), sum(latency_ms), max(latency_ms), ${histogramAggregateSql('latency_ms')}
    from l group by 1, 2, 3, 4, 5
  on conflict (bucket, group_id, bot_id, outcome, cached) do update set
    count = r.count + excluded.count,
    latency_ms_sum = r.latency_ms_sum + excluded.latency_ms_sum,
    latency_ms_max = greatest(r.latency_ms_max, excluded.latency_ms_max),
    latency_hist = ${histogramAddSql('r.latency_hist', 'excluded.latency_hist')}`;

/** Narrow per-group totals (no outcome/cached split): what top-groups ranks by. */
const groupTotals = (table: string, unit: 'hour' | 'day') => `
  insert into ${table} as t (bucket, group_id, bot_id, count, verified, restricted, cached)
  select date_trunc('${unit}', occurred_at, 'UTC'), group_id, bot_id, count(*),
         count(*) filter (where outcome = 'verified'), count(*) filter (where outcome = 'restricted'),
         count(*) filter (where cached)
    from l group by 1, 2, 3
  on conflict (bucket, group_id, bot_id) do update set
    count = t.count + excluded.count, verified = t.verified + excluded.verified,
    restricted = t.restricted + excluded.restricted, cached = t.cached + excluded.cached`;

// Built once: only the decisions' arrays vary.
const derived = sql.raw(`
  m1 as (${rollup('verification_bot_minute', 'minute', false)}),
  m2 as (${rollup('verification_hour', 'hour', true)}),
  m3 as (${rollup('verification_bot_hour', 'hour', false)}),
  m4 as (${rollup('verification_bot_day', 'day', false)}),
  t1 as (${groupTotals('verification_group_hour', 'hour')}),
  t2 as (${groupTotals('verification_group_day', 'day')}),
  -- Members seen: one row per user, the last decision (stream order) naming them.
  seen as (
    insert into users as u
      (user_id, username, first_name, first_seen_at, last_seen_at, decisions, last_outcome)
    select distinct on (user_id) user_id, username, first_name,
           first_value(occurred_at) over (partition by user_id order by stream_seq),
           occurred_at, count(*) over (partition by user_id), outcome
      from l order by user_id, stream_seq desc
    on conflict (user_id) do update set
      username = coalesce(excluded.username, u.username),
      first_name = coalesce(excluded.first_name, u.first_name),
      first_seen_at = least(u.first_seen_at, excluded.first_seen_at),
      last_seen_at = greatest(u.last_seen_at, excluded.last_seen_at),
      decisions = u.decisions + excluded.decisions,
      last_outcome = case when excluded.last_seen_at >= u.last_seen_at
                          then excluded.last_outcome else u.last_outcome end
    returning (xmax = 0) as inserted, first_seen_at
  ),
  growth as (
    insert into user_growth_hour as g (bucket, new_users)
    select date_trunc('hour', first_seen_at, 'UTC'), count(*) from seen where inserted group by 1
    on conflict (bucket) do update set new_users = g.new_users + excluded.new_users
  ),
  -- The total is a counter: count(*) over millions of users is too slow for a dashboard.
  counted as (
    insert into read_model_counters as c (name, value)
    select 'users', count(*) from seen where inserted having count(*) > 0
    on conflict (name) do update set value = c.value + excluded.value
  ),
  ${activeUsersCtes}`);

/**
 * The CTEs that append decisions to the log and derive every rollup from the rows it took;
 * part of a batch statement (batch.ts), which may carry API calls and the checkpoint too.
 */
export function decisionWrites(records: readonly VerificationRecord[]): RawBuilder<unknown> {
  return sql`
    x as (
      select * from unnest(
        ${records.map((r) => r.seq)}::bigint[], ${records.map((r) => r.eventId)}::text[],
        ${records.map((r) => r.occurredAt.toISOString())}::timestamptz[],
        ${records.map((r) => r.groupId)}::bigint[], ${records.map((r) => r.botId)}::bigint[],
        ${records.map((r) => r.userId)}::bigint[], ${records.map((r) => r.username)}::text[],
        ${records.map((r) => r.firstName)}::text[], ${records.map((r) => r.outcome)}::text[],
        ${records.map((r) => r.trigger)}::text[], ${records.map((r) => r.cached)}::boolean[],
        ${records.map((r) => r.latencyMs)}::integer[],
        ${records.map((r) => pgArray(r.missingChannelIds))}::text[],
        ${records.map((r) => r.reason)}::text[]
      ) as x(stream_seq, event_id, occurred_at, group_id, bot_id, user_id, username, first_name,
             outcome, trigger, cached, latency_ms, missing, reason)
    ),
    -- A decision can be the first thing we hear of a group (linked before this projector).
    grp as (
      insert into groups (group_id, title, bot_id, created_at, updated_at)
      select distinct on (group_id) group_id, null, nullif(bot_id, 0), occurred_at, occurred_at
        from x order by group_id, stream_seq
      on conflict (group_id) do nothing
    ),
    -- Keyed by stream sequence: even if the checkpoint were bypassed, a decision counts once.
    l as (
      insert into verification_log (stream_seq, event_id, occurred_at, group_id, bot_id, user_id,
        username, first_name, outcome, trigger, cached, latency_ms, missing_channel_ids, reason)
      select stream_seq, event_id, occurred_at, group_id, bot_id, user_id, username, first_name,
             outcome, trigger, cached, latency_ms, missing::bigint[], reason
        from x
      on conflict do nothing
      returning stream_seq, occurred_at, group_id, bot_id, user_id, username, first_name,
                outcome, trigger, cached, latency_ms
    ),
    ${derived}`;
}
