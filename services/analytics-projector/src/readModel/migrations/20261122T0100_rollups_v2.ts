// Read model v2: the verification log partitioned by month (retention drops whole
// partitions), rollups per minute / hour / day keyed by group, bot, outcome and cached with
// a fixed-bucket latency histogram (p95 is computed from the rollup), and the tables the
// other producers' events land in (API calls, audit, commands, stream stats). The v1 daily
// rollup is rebuilt from the log, then dropped.
import { sql, type Kysely } from 'kysely';
import { histogramAggregateSql } from '../histogram.ts';

const rollupTable = (name: string) =>
  sql.raw(`
  create table ${name} (
    bucket         timestamptz not null,
    group_id       bigint not null,
    bot_id         bigint not null,
    outcome        text not null,
    cached         boolean not null,
    count          bigint not null,
    latency_ms_sum bigint not null,
    latency_ms_max integer not null,
    latency_hist   bigint[] not null,
    primary key (bucket, group_id, bot_id, outcome, cached)
  );
  create index ${name}_by_group on ${name} (group_id, bucket);
  create index ${name}_by_bot on ${name} (bot_id, bucket);
`);

const backfill = (name: string, unit: string) =>
  sql.raw(`
  insert into ${name}
  select date_trunc('${unit}', occurred_at, 'UTC'), group_id, bot_id, outcome, cached,
         count(*), sum(latency_ms), max(latency_ms), ${histogramAggregateSql('latency_ms')}
    from verification_log_v1
   group by 1, 2, 3, 4, 5;
`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table verification_log rename to verification_log_v1;
    alter index verification_log_by_group rename to verification_log_v1_by_group;
    alter index verification_log_by_time rename to verification_log_v1_by_time;
    create table verification_log (
      stream_seq          bigint not null,
      event_id            text not null,
      occurred_at         timestamptz not null,
      group_id            bigint not null,
      bot_id              bigint not null,
      user_id             bigint not null,
      username            text,
      first_name          text,
      outcome             text not null check (outcome in ('verified', 'restricted', 'exempt', 'error')),
      trigger             text not null check (trigger in ('join', 'message', 'verify_button')),
      cached              boolean not null,
      latency_ms          integer not null,
      missing_channel_ids bigint[] not null default '{}',
      reason              text,
      primary key (stream_seq, occurred_at)
    ) partition by range (occurred_at);
    create index verification_log_by_seq on verification_log (stream_seq desc);
    create index verification_log_by_group on verification_log (group_id, stream_seq desc);
    create index verification_log_by_time on verification_log (occurred_at);
  `.execute(db);
  // One partition per month that already has decisions, then move them over.
  await sql`
    do $$
    declare m timestamptz;
    begin
      for m in select distinct date_trunc('month', occurred_at, 'UTC') from verification_log_v1 loop
        execute format(
          'create table %I partition of verification_log for values from (%L) to (%L)',
          'verification_log_' || to_char(m at time zone 'UTC', 'YYYY_MM'),
          m, m + interval '1 month');
      end loop;
    end $$;
    insert into verification_log select * from verification_log_v1;
  `.execute(db);
  await rollupTable('verification_minute').execute(db);
  await rollupTable('verification_hour').execute(db);
  await rollupTable('verification_day').execute(db);
  await backfill('verification_minute', 'minute').execute(db);
  await backfill('verification_hour', 'hour').execute(db);
  await backfill('verification_day', 'day').execute(db);
  await sql`
    drop table verification_log_v1;
    drop table verification_daily;

    alter table bots add column first_seen_at timestamptz;
    alter table bots add column last_error_at timestamptz;
    alter table bots add column api_calls bigint not null default 0;
    alter table bots add column api_errors bigint not null default 0;
    alter table channels add column subscriber_count integer;
    alter table groups add column settings jsonb not null default '{}';
    alter table groups add column member_count integer;

    -- One row per Telegram Bot API call (bot.api_called, issue 3), partitioned like the log.
    create table api_call_log (
      stream_seq  bigint not null,
      occurred_at timestamptz not null,
      bot_id      bigint not null,
      group_id    bigint,
      method      text not null,
      ok          boolean not null,
      error_code  integer,
      latency_ms  integer not null,
      primary key (stream_seq, occurred_at)
    ) partition by range (occurred_at);
    create index api_call_log_by_seq on api_call_log (stream_seq desc);

    create table api_call_hour (
      bucket         timestamptz not null,
      bot_id         bigint not null,
      method         text not null,
      ok             boolean not null,
      count          bigint not null,
      latency_ms_sum bigint not null,
      latency_hist   bigint[] not null,
      primary key (bucket, bot_id, method, ok)
    );
    create index api_call_hour_by_bot on api_call_hour (bot_id, bucket);

    -- Written from the command service's audit events (issue 5).
    create table audit_log (
      stream_seq    bigint primary key,
      occurred_at   timestamptz not null,
      actor         text not null,
      action        text not null,
      resource_type text not null,
      resource_id   text,
      details       jsonb not null default '{}'
    );
    create index audit_log_by_time on audit_log (occurred_at desc);
    create index audit_log_by_action on audit_log (action, occurred_at desc);

    create table admin_commands (
      command_id   text primary key,
      kind         text not null,
      status       text not null,
      actor        text,
      group_id     bigint,
      bot_id       bigint,
      error        text,
      requested_at timestamptz not null,
      updated_at   timestamptz not null
    );
    create index admin_commands_by_status on admin_commands (status, requested_at desc);

    -- Every event the projector saw, per type and hour: the stream's own statistics.
    create table event_stats_hour (
      bucket     timestamptz not null,
      event_type text not null,
      result     text not null,
      count      bigint not null,
      primary key (bucket, event_type, result)
    );
  `.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('read model v2 is not reversible: rebuild the projection'));
}
