// Read model v8: fewer indexes on the tables every decision writes, and room on their pages
// for in-place (HOT) updates. Profiling the projector (docs/BENCHMARKS.md) showed index
// maintenance on the rollups and `users` as the main cost of a batch; these indexes serve
// no read:
// - the per-group rollups are only read filtered by group (reads without a group filter use
//   the per-bot rollups), so their key leads with the group and replaces `_by_group`;
//   `_by_bot` is never used on them;
// - nothing reads the minute rollup except its retention, which deletes by bucket (the key);
// - `users` is only upserted by id (totals are counters, growth is `user_growth_hour`).
import { sql, type Kysely } from 'kysely';

const upserted = [
  'verification_hour',
  'verification_day',
  'verification_bot_hour',
  'verification_bot_day',
  'verification_group_hour',
  'verification_group_day',
  'users',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index verification_minute_by_group;
    drop index verification_minute_by_bot;
    drop index users_by_first_seen;
    drop index users_by_last_seen;
  `.execute(db);
  for (const table of ['verification_hour', 'verification_day'] as const) {
    await sql`
      alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pkey`)};
      alter table ${sql.table(table)}
        add primary key (group_id, bucket, bot_id, outcome, cached);
      drop index ${sql.id(`${table}_by_group`)};
      drop index ${sql.id(`${table}_by_bot`)};
    `.execute(db);
  }
  for (const table of upserted) {
    await sql`alter table ${sql.table(table)} set (fillfactor = 70)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of upserted) {
    await sql`alter table ${sql.table(table)} reset (fillfactor)`.execute(db);
  }
  for (const table of ['verification_hour', 'verification_day'] as const) {
    await sql`
      alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pkey`)};
      alter table ${sql.table(table)}
        add primary key (bucket, group_id, bot_id, outcome, cached);
      create index ${sql.id(`${table}_by_group`)} on ${sql.table(table)} (group_id, bucket);
      create index ${sql.id(`${table}_by_bot`)} on ${sql.table(table)} (bot_id, bucket);
    `.execute(db);
  }
  await sql`
    create index verification_minute_by_group on verification_minute (group_id, bucket);
    create index verification_minute_by_bot on verification_minute (bot_id, bucket);
    create index users_by_first_seen on users (first_seen_at);
    create index users_by_last_seen on users (last_seen_at);
  `.execute(db);
}
