// Read model v12: no per-group day rollup with the outcome/cached split (verification_day).
// A group's charts read its hour rows instead: at most 24 × 90 buckets × outcome × cached
// per bot for the longest period, whatever the group's traffic, so a day row per
// (group, bot, outcome, cached) saved readers little and cost the projector about a tenth
// of every batch (its upsert was one of the biggest in the decision statement). What ranks
// groups over days keeps its own narrow table (verification_group_day).
import { sql, type Kysely } from 'kysely';
import { histogramSumSql } from '../histogram.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop table verification_day`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table verification_day (like verification_hour including all);
    insert into verification_day
      (bucket, group_id, bot_id, outcome, cached, count, latency_ms_sum, latency_ms_max, latency_hist)
    select date_trunc('day', bucket, 'UTC'), group_id, bot_id, outcome, cached, sum(count),
           sum(latency_ms_sum), max(latency_ms_max), ${sql.raw(histogramSumSql('latency_hist'))}
      from verification_hour group by 1, 2, 3, 4, 5;
  `.execute(db);
}
