// Read queries behind the dashboard endpoints. Numbers over time come from the daily
// rollup, never from scanning the verification log.
import type { Database } from '@nezuko/analytics-projector/read-model';
import { sql, type Kysely } from 'kysely';
import type { ActivityRow } from '../domain/activity.ts';
import type { DailyOutcomeCount } from '../domain/dashboard.ts';

type Db = Kysely<Database>;

/** The rollup bucket of a UTC day ('YYYY-MM-DD'). */
export const dayStart = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** Enabled groups that enforce at least one channel. */
export async function countProtectedGroups(db: Db): Promise<number> {
  const { n } = await db
    .selectFrom('groups as g')
    .where('g.enabled', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('group_channels as gc')
          .whereRef('gc.group_id', '=', 'g.group_id')
          .select(sql`1`.as('one')),
      ),
    )
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Distinct channels linked to any group. */
export async function countLinkedChannels(db: Db): Promise<number> {
  const { n } = await db
    .selectFrom('group_channels')
    .select((eb) => eb.fn.count<string>('channel_id').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

export interface VerificationTotals {
  readonly onLastDay: number;
  readonly total: number;
  readonly verified: number;
  readonly restricted: number;
  readonly cached: number;
}

/** Totals over the days [firstDay, lastDay] (UTC), and for lastDay alone. */
export async function verificationTotals(
  db: Db,
  firstDay: string,
  lastDay: string,
): Promise<VerificationTotals> {
  const lastStart = dayStart(lastDay);
  const row = await db
    .selectFrom('verification_bot_day')
    .where('bucket', '>=', dayStart(firstDay))
    .where('bucket', '<=', lastStart)
    .select([
      sql<string>`coalesce(sum(count) filter (where bucket = ${lastStart}), 0)`.as('on_last_day'),
      sql<string>`coalesce(sum(count), 0)`.as('total'),
      sql<string>`coalesce(sum(count) filter (where outcome = 'verified'), 0)`.as('verified'),
      sql<string>`coalesce(sum(count) filter (where outcome = 'restricted'), 0)`.as('restricted'),
      sql<string>`coalesce(sum(count) filter (where cached), 0)`.as('cached'),
    ])
    .executeTakeFirstOrThrow();
  return {
    onLastDay: Number(row.on_last_day),
    total: Number(row.total),
    verified: Number(row.verified),
    restricted: Number(row.restricted),
    cached: Number(row.cached),
  };
}

/** The longest uptime among running bots (0 when none runs). */
export async function runningBotUptime(db: Db): Promise<number> {
  const row = await db
    .selectFrom('bots')
    .where('status', '=', 'running')
    .select((eb) => eb.fn.max('uptime_seconds').as('uptime'))
    .executeTakeFirst();
  return row?.uptime ?? 0;
}

export async function dailyOutcomeCounts(
  db: Db,
  firstDay: string,
  lastDay: string,
): Promise<DailyOutcomeCount[]> {
  const rows = await db
    .selectFrom('verification_bot_day')
    .where('bucket', '>=', dayStart(firstDay))
    .where('bucket', '<=', dayStart(lastDay))
    .groupBy(['bucket', 'outcome'])
    .select([
      sql<string>`to_char(bucket at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
      'outcome',
      (eb) => eb.fn.sum<string>('count').as('count'),
    ])
    .execute();
  return rows.map((r) => ({ day: r.day, outcome: r.outcome, count: Number(r.count) }));
}

/** The newest decisions first, with their group's title when the read model knows it. */
export async function recentActivity(db: Db, limit: number): Promise<ActivityRow[]> {
  return db
    .selectFrom('verification_log as v')
    .leftJoin('groups as g', 'g.group_id', 'v.group_id')
    .select([
      'v.stream_seq',
      'v.occurred_at',
      'v.group_id',
      'g.title as group_title',
      'v.user_id',
      'v.username',
      'v.first_name',
      'v.outcome',
      'v.trigger',
      'v.cached',
      'v.latency_ms',
      'v.missing_channel_ids',
    ])
    .orderBy('v.stream_seq', 'desc')
    .limit(limit)
    .execute();
}

export async function groupTitle(db: Db, groupId: string): Promise<string | null> {
  const row = await db
    .selectFrom('groups')
    .select('title')
    .where('group_id', '=', groupId)
    .executeTakeFirst();
  return row?.title ?? null;
}
