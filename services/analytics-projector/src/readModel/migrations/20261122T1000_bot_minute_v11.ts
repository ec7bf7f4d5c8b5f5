// Read model v11: the minute rollup is kept per bot (verification_bot_minute, group_id 0 as
// in the other per-bot rollups) instead of per group. Nothing reads minutes per group, and
// per group a batch of decisions from many groups wrote about one minute row per decision:
// the projector's most expensive rollup for no reader. Hours and days stay per group.
import { sql, type Kysely } from 'kysely';
import { histogramSumSql } from '../histogram.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table verification_bot_minute (like verification_minute including all);
    insert into verification_bot_minute
      (bucket, group_id, bot_id, outcome, cached, count, latency_ms_sum, latency_ms_max, latency_hist)
    select bucket, 0, bot_id, outcome, cached, sum(count), sum(latency_ms_sum), max(latency_ms_max),
           ${sql.raw(histogramSumSql('latency_hist'))}
      from verification_minute group by bucket, bot_id, outcome, cached;
    drop table verification_minute;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The per-group split is not recoverable: the rows come back under group 0.
  await sql`alter table verification_bot_minute rename to verification_minute`.execute(db);
}
