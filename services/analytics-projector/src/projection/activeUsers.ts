// Active users: the distinct members with a decision per hour, day and (ISO) week. The
// distinct set lives in user_activity, one row per (granularity, bucket, user); each row an
// insert really adds (ON CONFLICT DO NOTHING returns only those) adds one to the bucket's
// counter in active_users, in the batch's transaction, so a series reads one counter per
// bucket at any log size and a redelivered batch (already checkpointed) adds nothing.
//
// Only what members did counts (join, message, verify button): a recheck is Nezuko looking
// again on its own, and counting it would call every recently verified member "active".
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ActivityGranularity, Database } from '../readModel/index.ts';
import type { VerificationRecord } from './records.ts';

type Trx = Transaction<Database> | Kysely<Database>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The bucket starts (UTC) an instant falls in; weeks start on Monday, as date_trunc's. */
export function activityBuckets(at: Date): Record<ActivityGranularity, Date> {
  const ms = at.getTime();
  const day = Math.floor(ms / DAY) * DAY;
  const mondayOffset = (new Date(day).getUTCDay() + 6) % 7;
  return {
    hour: new Date(Math.floor(ms / HOUR) * HOUR),
    day: new Date(day),
    week: new Date(day - mondayOffset * DAY),
  };
}

/** The distinct (granularity, bucket, user) rows a run of decisions touches. */
export function activityRows(
  records: readonly Pick<VerificationRecord, 'occurredAt' | 'userId' | 'trigger'>[],
): { granularity: ActivityGranularity; bucket: Date; userId: string }[] {
  const rows = new Map<
    string,
    { granularity: ActivityGranularity; bucket: Date; userId: string }
  >();
  for (const r of records) {
    if (r.trigger === 'recheck') continue;
    for (const [granularity, bucket] of Object.entries(activityBuckets(r.occurredAt)) as [
      ActivityGranularity,
      Date,
    ][]) {
      const key = `${granularity}|${bucket.getTime()}|${r.userId}`;
      if (!rows.has(key)) rows.set(key, { granularity, bucket, userId: r.userId });
    }
  }
  return [...rows.values()];
}

export async function recordActiveUsers(
  trx: Trx,
  records: readonly VerificationRecord[],
): Promise<void> {
  const rows = activityRows(records);
  if (rows.length === 0) return;
  await sql`
    with added as (
      insert into user_activity (granularity, bucket, user_id)
      select * from unnest(${rows.map((r) => r.granularity)}::text[],
                           ${rows.map((r) => r.bucket.toISOString())}::timestamptz[],
                           ${rows.map((r) => r.userId)}::bigint[])
      on conflict do nothing
      returning granularity, bucket
    )
    insert into active_users as a (granularity, bucket, users)
    select granularity, bucket, count(*) from added group by granularity, bucket
    on conflict (granularity, bucket) do update set users = a.users + excluded.users
  `.execute(trx);
}
