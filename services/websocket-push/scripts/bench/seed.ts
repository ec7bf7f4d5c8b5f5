// The read benchmark's bulk path: N decisions (and one Telegram API call per uncached
// decision) generated in SQL straight into the read model's tables, with the rollups and
// the users table derived by the same aggregation the v2 migration uses to backfill them,
// then the same rows loaded into the earlier design's raw tables (schema `legacy`,
// /work/shared/seeds/sql 001–004) with their indexes.
import { readFileSync } from 'node:fs';
import { histogramAggregateSql } from '@nezuko/analytics-projector/read-model';
import type pg from 'pg';

export const GROUPS = 1000;
export const BOTS = 3;
export const DAYS = 90;

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

export async function seedReadModel(client: pg.Client, n: number, now: Date): Promise<void> {
  const end = now.toISOString();
  // A bulk load: big sort/hash memory, no waiting for WAL flushes (the database is throwaway).
  await client.query(`set work_mem = '512MB'; set synchronous_commit = off`);
  await client.query(`select setseed(0.42)`);
  await timed('groups, channels, bots', () =>
    client.query(`
      insert into bots (bot_id, username, first_name, status, uptime_seconds, last_heartbeat_at, registered_at, updated_at, api_calls, api_errors)
      select 7000 + b, 'bench_bot_' || b, 'Bench ' || b, 'running', 86400, '${end}', '${end}'::timestamptz - interval '120 days', '${end}', 0, 0
        from generate_series(1, ${BOTS}) b;
      insert into groups (group_id, title, enabled, bot_id, created_at, updated_at)
      select -100000 - g, 'Group ' || g, g % 10 <> 0, 7000 + 1 + g % ${BOTS},
             '${end}'::timestamptz - interval '100 days' + g * interval '1 minute', '${end}'
        from generate_series(0, ${GROUPS - 1}) g;
      insert into channels (channel_id, title, username, invite_link, subscriber_count, updated_at)
      select -200000 - c, 'Channel ' || c, 'chan' || c, 'https://t.me/chan' || c, 1000 + c, '${end}'
        from generate_series(0, ${GROUPS / 2 - 1}) c;
      insert into group_channels (group_id, channel_id, linked_at)
      select -100000 - g, -200000 - (g % ${GROUPS / 2}), '${end}'::timestamptz - interval '100 days'
        from generate_series(0, ${GROUPS - 1}) g where g % 7 <> 0;
    `),
  );
  // Partitions for every month the 90 days touch (the projector creates them on demand).
  await client.query(`
    do $$ declare m timestamptz; begin
      for m in select generate_series(date_trunc('month', '${end}'::timestamptz - interval '${DAYS} days', 'UTC'),
                                      date_trunc('month', '${end}'::timestamptz, 'UTC'), interval '1 month') loop
        execute format('create table if not exists %I partition of verification_log for values from (%L) to (%L)',
          'verification_log_' || to_char(m at time zone 'UTC', 'YYYY_MM'), m, m + interval '1 month');
        execute format('create table if not exists %I partition of api_call_log for values from (%L) to (%L)',
          'api_call_log_' || to_char(m at time zone 'UTC', 'YYYY_MM'), m, m + interval '1 month');
      end loop; end $$;
  `);
  // Decisions evenly spread over 90 days (stream order = time order); groups skewed so a
  // few are busy; 70 % cached (fast), the rest a live getChatMember (slower, long tail).
  await timed(`verification_log (${n} rows)`, () =>
    client.query(`
      insert into verification_log (stream_seq, event_id, occurred_at, group_id, bot_id, user_id,
        username, first_name, outcome, trigger, cached, latency_ms, missing_channel_ids, reason)
      select i, 'bench-' || i,
             '${end}'::timestamptz - (${n} - i) * (interval '${DAYS} days' / ${n}),
             -100000 - g, 7000 + 1 + g % ${BOTS}, 1000000 + floor(random() * ${Math.max(1000, Math.floor(n / 5))})::bigint,
             null, 'User', o, case when r2 < 0.5 then 'join' when r2 < 0.9 then 'message' else 'verify_button' end,
             c, case when c then 1 + floor(random() * 9)::int else 20 + floor(-ln(1 - random()) * 150)::int end,
             '{}', null
        from (select i, floor(${GROUPS} * power(random(), 2))::int as g, random() < 0.7 as c, random() as r2,
                     (array['verified','verified','verified','verified','verified','verified',
                            'restricted','restricted','restricted','exempt','error'])[1 + floor(random() * 11)::int] as o
                from generate_series(1, ${n}) i) x
    `),
  );
  // The minute rollup is written by the projector but read by no endpoint: not seeded here.
  for (const [table, unit, group] of [
    ['verification_hour', 'hour', 'group_id'],
    ['verification_bot_hour', 'hour', '0'],
    ['verification_bot_day', 'day', '0'],
  ] as const) {
    await timed(table, () =>
      client.query(`
        insert into ${table}
        select date_trunc('${unit}', occurred_at, 'UTC'), ${group}, bot_id, outcome, cached,
               count(*), sum(latency_ms), max(latency_ms), ${histogramAggregateSql('latency_ms')}
          from verification_log group by 1, 2, 3, 4, 5`),
    );
  }
  for (const [table, unit] of [
    ['verification_group_hour', 'hour'],
    ['verification_group_day', 'day'],
  ] as const) {
    await timed(table, () =>
      client.query(`
        insert into ${table}
        select date_trunc('${unit}', occurred_at, 'UTC'), group_id, bot_id, count(*),
               count(*) filter (where outcome = 'verified'), count(*) filter (where outcome = 'restricted'),
               count(*) filter (where cached)
          from verification_log group by 1, 2, 3`),
    );
  }
  await timed('users', () =>
    client.query(`
      insert into users (user_id, username, first_name, first_seen_at, last_seen_at, decisions, last_outcome)
      select user_id, null, 'User', min(occurred_at), max(occurred_at), count(*),
             (array_agg(outcome order by stream_seq desc))[1]
        from verification_log group by user_id;
      insert into read_model_counters (name, value) select 'users', count(*) from users
      on conflict (name) do update set value = excluded.value;
      insert into user_growth_hour select date_trunc('hour', first_seen_at, 'UTC'), count(*) from users group by 1;`),
  );
  // Active users as the projector keeps them: the member days with their hour masks, and
  // the distinct members per hour, day and ISO week (member-caused triggers only).
  await timed('user_days + active_users', () =>
    client.query(`
      insert into user_days (user_id, day, hours)
      select user_id, (occurred_at at time zone 'UTC')::date,
             bit_or(1 << extract(hour from occurred_at at time zone 'UTC')::int)
        from verification_log where trigger <> 'recheck' group by 1, 2;
      insert into active_users (granularity, bucket, users)
      select 'hour', (day + make_interval(hours => h)) at time zone 'UTC', count(*)
        from user_days, generate_series(0, 23) h where hours & (1 << h) <> 0 group by 2
      union all
      select 'day', day::timestamp at time zone 'UTC', count(*) from user_days group by 2
      union all
      select 'week', date_trunc('week', day)::date::timestamp at time zone 'UTC', count(distinct user_id)
        from user_days group by 2;`),
  );
  // One getChatMember per uncached decision, then a restrict for each restriction.
  await timed('api_call_log', () =>
    client.query(`
      insert into api_call_log (stream_seq, occurred_at, bot_id, group_id, method, ok, error_code, latency_ms)
      select ${n} + stream_seq, occurred_at, bot_id, group_id,
             case when outcome = 'restricted' and stream_seq % 2 = 0 then 'restrictChatMember' else 'getChatMember' end,
             stream_seq % 50 <> 0, case when stream_seq % 50 = 0 then 429 end, greatest(latency_ms - 5, 1)
        from verification_log where not cached`),
  );
  await timed('api_call_hour + bot counters', () =>
    client.query(`
      insert into api_call_hour (bucket, bot_id, group_id, method, ok, count, latency_ms_sum, latency_hist)
      select date_trunc('hour', occurred_at, 'UTC'), bot_id, group_id, method, ok, count(*), sum(latency_ms),
             ${histogramAggregateSql('latency_ms')}
        from api_call_log group by 1, 2, 3, 4, 5;
      insert into api_call_bot_hour (bucket, bot_id, group_id, method, ok, count, latency_ms_sum, latency_hist)
      select date_trunc('hour', occurred_at, 'UTC'), bot_id, 0, method, ok, count(*), sum(latency_ms),
             ${histogramAggregateSql('latency_ms')}
        from api_call_log group by 1, 2, 3, 4, 5;
      update bots b set api_calls = s.n, api_errors = s.e
        from (select bot_id, count(*) n, count(*) filter (where not ok) e from api_call_log group by 1) s
       where s.bot_id = b.bot_id;
      insert into projection_checkpoints (projection, stream_seq) values ('analytics', ${n})
      on conflict (projection) do update set stream_seq = excluded.stream_seq;
    `),
  );
  // What admins did: an audit entry per 100 decisions and a command per 500, over the
  // same 90 days (the audit filters and CSV export, the command list by status).
  await timed('audit_log + admin_commands', () =>
    client.query(`
      insert into audit_log (stream_seq, occurred_at, actor, action, resource_type, resource_id, details)
      select 2 * ${n} + i, '${end}'::timestamptz - (${DAYS} * interval '1 day') * (1 - i::float8 / ${auditRows(n)}),
             'admin' || (i % 5) || '@example.com',
             (array['group.update', 'group.channel_link', 'bot.create', 'config.update', 'command.create'])[1 + i % 5],
             (array['group', 'group', 'bot', 'config', 'command'])[1 + i % 5],
             (-100000 - i % ${GROUPS})::text, jsonb_build_object('enabled', i % 2 = 0)
        from generate_series(1, ${auditRows(n)}) i;
      insert into admin_commands (command_id, kind, status, actor, group_id, bot_id, error, requested_at, updated_at)
      select 'cmd:' || i, (array['ban_user', 'mute_user', 'sync_members', 'send_message'])[1 + i % 4],
             (array['succeeded', 'succeeded', 'succeeded', 'failed', 'running'])[1 + i % 5],
             'admin' || (i % 5) || '@example.com', -100000 - i % ${GROUPS}, 7001 + i % ${BOTS},
             case when i % 5 = 3 then 'Bad Request: not enough rights' end, t, t
        from generate_series(1, ${Math.max(1, Math.floor(n / 500))}) i,
             lateral (select '${end}'::timestamptz - (${DAYS} * interval '1 day') * (1 - i::float8 / ${Math.max(1, Math.floor(n / 500))}) as t) at`),
  );
  await timed('vacuum analyze', () => client.query('vacuum analyze'));
}

const auditRows = (n: number) => Math.max(1, Math.floor(n / 100));

/** The earlier design's tables and functions in schema `legacy`, loaded with the same rows. */
export async function seedLegacy(client: pg.Client, seedsDir: string): Promise<void> {
  await client.query(
    `set work_mem = '512MB'; set maintenance_work_mem = '1GB'; set synchronous_commit = off`,
  );
  await client.query(
    `drop schema if exists legacy cascade; create schema legacy; set search_path = legacy`,
  );
  // Indexes of the raw logs are built after loading (same end state, much faster load).
  const deferred: string[] = [];
  for (const file of [
    '001_core_tables.sql',
    '002_auth_and_admin_tables.sql',
    '003_logging_tables.sql',
    '004_analytics_functions.sql',
  ]) {
    let text = readFileSync(`${seedsDir}/${file}`, 'utf8');
    if (file === '003_logging_tables.sql') {
      text = text.replace(
        /CREATE INDEX [^;]+ ON (verification_log|api_call_log)[^;]*;/g,
        (stmt) => {
          deferred.push(stmt);
          return '';
        },
      );
    }
    await client.query(text);
  }
  await timed('legacy config tables', () =>
    client.query(`
      insert into owners (user_id, username) values (1, 'owner');
      insert into bot_instances (id, owner_telegram_id, bot_id, bot_username, token_encrypted)
      select b, 1, 7000 + b, 'bench_bot_' || b, 'x' from generate_series(1, ${BOTS}) b;
      insert into protected_groups (group_id, owner_id, bot_instance_id, title, enabled, created_at)
      select group_id, 1, (bot_id - 7000)::int, title, enabled, created_at from public.groups;
      insert into enforced_channels (channel_id, title, username, invite_link, subscriber_count)
      select channel_id, title, username, invite_link, subscriber_count from public.channels;
      insert into group_channel_links (group_id, channel_id) select group_id, channel_id from public.group_channels;
    `),
  );
  // The earlier schema has the indexes already (003); loading into them is its real cost.
  await timed('legacy verification_log', () =>
    client.query(`
      insert into verification_log (user_id, group_id, channel_id, bot_instance_id, status, latency_ms, cached, timestamp)
      select user_id, group_id, 0, (bot_id - 7000)::int, outcome, latency_ms, cached, occurred_at
        from public.verification_log order by stream_seq`),
  );
  await timed('legacy api_call_log', () =>
    client.query(`
      insert into api_call_log (bot_instance_id, method, chat_id, success, latency_ms, timestamp)
      select (bot_id - 7000)::int, method, group_id, ok, latency_ms, occurred_at
        from public.api_call_log order by stream_seq`),
  );
  await timed(`legacy indexes (${deferred.length})`, async () => {
    for (const stmt of deferred) await client.query(stmt);
  });
  await client.query('vacuum analyze');
  await client.query('set search_path = public');
}
