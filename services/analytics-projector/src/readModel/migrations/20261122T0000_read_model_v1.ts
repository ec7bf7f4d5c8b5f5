// Read model v1: groups and their linked channels, bots, the verification log (activity
// feed) with its daily rollup, and the projection checkpoints.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table groups (
      group_id   bigint primary key,
      title      text,
      enabled    boolean not null default true,
      bot_id     bigint,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index groups_listing on groups (created_at desc, group_id desc);

    create table channels (
      channel_id  bigint primary key,
      title       text,
      username    text,
      invite_link text,
      updated_at  timestamptz not null
    );

    create table group_channels (
      group_id   bigint not null references groups (group_id) on delete cascade,
      channel_id bigint not null references channels (channel_id),
      linked_at  timestamptz not null,
      primary key (group_id, channel_id)
    );
    create index group_channels_by_channel on group_channels (channel_id);

    create table bots (
      bot_id            bigint primary key,
      username          text,
      first_name        text,
      status            text not null default 'unknown'
                        check (status in ('unknown', 'running', 'stopped', 'error')),
      last_heartbeat_at timestamptz,
      uptime_seconds    integer not null default 0,
      last_error        text,
      registered_at     timestamptz,
      updated_at        timestamptz not null
    );

    create table verification_log (
      stream_seq          bigint primary key,
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
      reason              text
    );
    create index verification_log_by_group on verification_log (group_id, stream_seq desc);
    create index verification_log_by_time on verification_log (occurred_at);

    create table verification_daily (
      day            date not null,
      group_id       bigint not null,
      outcome        text not null,
      count          bigint not null,
      cached_count   bigint not null,
      latency_ms_sum bigint not null,
      primary key (day, group_id, outcome)
    );

    create table projection_checkpoints (
      projection text primary key,
      stream_seq bigint not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table projection_checkpoints;
    drop table verification_daily;
    drop table verification_log;
    drop table bots;
    drop table group_channels;
    drop table channels;
    drop table groups;
  `.execute(db);
}
