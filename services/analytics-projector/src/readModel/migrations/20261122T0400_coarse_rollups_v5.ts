// Read model v5: coarser rollups so a chart's cost follows the number of buckets, not the
// number of groups. With a thousand busy groups the per-group rollups hold nearly one row
// per event; charts without a group filter read per-bot rollups (group_id stored as 0),
// top-groups reads a narrow per-group table, and counters replace count(*) over users.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table verification_bot_hour (like verification_hour including all);
    create table verification_bot_day (like verification_day including all);
    create table api_call_bot_hour (like api_call_hour including all);
    create table verification_group_hour (
      bucket     timestamptz not null,
      group_id   bigint not null,
      bot_id     bigint not null,
      count      bigint not null,
      verified   bigint not null,
      restricted bigint not null,
      cached     bigint not null,
      primary key (bucket, group_id, bot_id)
    );
    create table verification_group_day (like verification_group_hour including all);
    create table read_model_counters (name text primary key, value bigint not null);
    insert into read_model_counters select 'users', count(*) from users;
  `.execute(db);
  // Backfill from the finer rollups (histograms summed element-wise).
  for (const [coarseTable, fine] of [
    ['verification_bot_hour', 'verification_hour'],
    ['verification_bot_day', 'verification_day'],
  ] as const) {
    await sql`
      insert into ${sql.table(coarseTable)}
      select bucket, 0, bot_id, outcome, cached, sum(count), sum(latency_ms_sum), max(latency_ms_max),
             array(select sum(h.n) from ${sql.table(fine)} f2, unnest(f2.latency_hist) with ordinality as h(n, i)
                    where f2.bucket = f.bucket and f2.bot_id = f.bot_id and f2.outcome = f.outcome
                      and f2.cached = f.cached group by h.i order by h.i)
        from ${sql.table(fine)} f group by bucket, bot_id, outcome, cached
    `.execute(db);
  }
  await sql`
    insert into api_call_bot_hour
    select bucket, bot_id, method, ok, sum(count), sum(latency_ms_sum),
           array(select sum(h.n) from api_call_hour f2, unnest(f2.latency_hist) with ordinality as h(n, i)
                  where f2.bucket = f.bucket and f2.bot_id = f.bot_id and f2.method = f.method
                    and f2.ok = f.ok group by h.i order by h.i), 0
      from api_call_hour f group by bucket, bot_id, method, ok;
    insert into verification_group_hour
    select bucket, group_id, bot_id, sum(count), coalesce(sum(count) filter (where outcome = 'verified'), 0),
           coalesce(sum(count) filter (where outcome = 'restricted'), 0), coalesce(sum(count) filter (where cached), 0)
      from verification_hour group by 1, 2, 3;
    insert into verification_group_day
    select bucket, group_id, bot_id, sum(count), coalesce(sum(count) filter (where outcome = 'verified'), 0),
           coalesce(sum(count) filter (where outcome = 'restricted'), 0), coalesce(sum(count) filter (where cached), 0)
      from verification_day group by 1, 2, 3;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table verification_bot_hour, verification_bot_day, api_call_bot_hour,
      verification_group_hour, verification_group_day, read_model_counters;
  `.execute(db);
}
