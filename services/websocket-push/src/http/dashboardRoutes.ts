// GET /api/v1/dashboard/{stats,activity,chart-data}: the dashboard's overview.
import type { Database } from '@nezuko/analytics-projector/read-model';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { activityFromRow, type ActivityItem } from '../domain/activity.ts';
import { addDays, utcDay } from '../domain/calendar.ts';
import { dailySeries, percent } from '../domain/dashboard.ts';
import {
  countLinkedChannels,
  countProtectedGroups,
  dailyOutcomeCounts,
  recentActivity,
  runningBotUptime,
  verificationTotals,
} from '../queries/dashboard.ts';
import { parseQuery } from './errors.ts';
import { activityQuery, chartQuery, type ChartResponse, type StatsResponse } from './schemas.ts';

/** Rates and "this week" cover the last 7 UTC days, today included. */
const WEEK_DAYS = 7;

export function dashboardRoutes(
  app: FastifyInstance,
  deps: { db: Kysely<Database>; now: () => Date },
): void {
  const { db, now } = deps;
  app.get('/api/v1/dashboard/stats', async (): Promise<StatsResponse> => {
    const today = utcDay(now());
    const [groups, channels, week, uptime] = await Promise.all([
      countProtectedGroups(db),
      countLinkedChannels(db),
      verificationTotals(db, addDays(today, 1 - WEEK_DAYS), today),
      runningBotUptime(db),
    ]);
    return {
      total_groups: groups,
      total_channels: channels,
      verifications_today: week.onLastDay,
      verifications_week: week.total,
      success_rate: percent(week.verified, week.verified + week.restricted),
      cache_hit_rate: percent(week.cached, week.total),
      bot_uptime_seconds: uptime,
    };
  });

  app.get('/api/v1/dashboard/activity', async (request): Promise<{ items: ActivityItem[] }> => {
    const { limit } = parseQuery(activityQuery, request.query);
    const rows = await recentActivity(db, limit);
    return { items: rows.map(activityFromRow) };
  });

  app.get('/api/v1/dashboard/chart-data', async (request): Promise<ChartResponse> => {
    const { days } = parseQuery(chartQuery, request.query);
    const today = utcDay(now());
    const counts = await dailyOutcomeCounts(db, addDays(today, 1 - days), today);
    return { days, series: dailySeries(counts, today, days) };
  });
}
