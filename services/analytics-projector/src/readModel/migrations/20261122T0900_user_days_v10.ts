// Read model v10: who was already counted as active is one row per (member, UTC day) with
// an hour bit mask (user_days) instead of a row per (granularity, bucket, member) in
// user_activity: a third of the rows, and a late decision still counts exactly once
// (src/projection/activeUsers.ts). The counters in active_users do not change.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table user_days (
      user_id bigint not null,
      day     date not null,
      hours   integer not null,
      primary key (user_id, day)
    ) with (fillfactor = 80);
    insert into user_days (user_id, day, hours)
    select user_id, (bucket at time zone 'UTC')::date,
           bit_or(1 << extract(hour from bucket at time zone 'UTC')::int)
      from user_activity where granularity = 'hour' group by 1, 2;
    drop table user_activity;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table user_activity (
      granularity text not null check (granularity in ('hour', 'day', 'week')),
      bucket      timestamptz not null,
      user_id     bigint not null,
      primary key (granularity, bucket, user_id)
    );
    insert into user_activity (granularity, bucket, user_id)
    select 'hour', (day + make_interval(hours => h)) at time zone 'UTC', user_id
      from user_days, generate_series(0, 23) h where hours & (1 << h) <> 0
    union all
    select 'day', day::timestamp at time zone 'UTC', user_id from user_days
    union all
    select distinct 'week', date_trunc('week', day)::date::timestamp at time zone 'UTC', user_id
      from user_days;
    drop table user_days;
  `.execute(db);
}
