// Active users: distinct members with a decision per hour, day or ISO week, read from the
// projector's per-bucket counters (active_users), one row per bucket whatever the log size.
import type { ActivityGranularity, Database } from '@nezuko/analytics-projector/read-model';
import { sql, type Kysely } from 'kysely';

type Db = Kysely<Database>;

export async function activeUserSeries(
  db: Db,
  from: Date,
  granularity: ActivityGranularity,
): Promise<{ bucket: Date; users: number }[]> {
  const { rows } = await sql<{ bucket: Date; users: string }>`
    select bucket, users from active_users
     where granularity = ${granularity}
       -- the week (or hour, day) 'from' falls in: a series' first bucket is whole
       and bucket >= date_trunc(${granularity}, ${from}::timestamptz, 'UTC')
     order by bucket
  `.execute(db);
  return rows.map((r) => ({ bucket: r.bucket, users: Number(r.users) }));
}

/**
 * The average daily active users over the UTC days from `fromDay` to `toDay` inclusive;
 * a day nobody was active counts as 0. Distinct users over a whole period are not stored
 * (that is a distinct count over the log); the daily average is what the counters give.
 */
export async function dailyActiveAverage(db: Db, fromDay: Date, toDay: Date): Promise<number> {
  const days = Math.round((toDay.getTime() - fromDay.getTime()) / 86_400_000) + 1;
  const { rows } = await sql<{ total: string | null }>`
    select sum(users) as total from active_users
     where granularity = 'day' and bucket >= ${fromDay} and bucket <= ${toDay}
  `.execute(db);
  return days <= 0 ? 0 : Math.round(Number(rows[0]?.total ?? 0) / days);
}
