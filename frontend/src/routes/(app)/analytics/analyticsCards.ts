// The analytics page's chart cards, in page order, from one load's results: each card's
// title, description and either its data as a chart view or the problem that stopped it.
import type { AnalyticsFilters } from '#lib/api/analytics.ts';
import type { AnalyticsData } from '#lib/api/analyticsLoad.ts';
import type { ApiProblem, ApiResult } from '#lib/api/readApi.ts';
import {
  apiCallsView,
  cacheBreakdownView,
  cacheHitTrendView,
  distributionView,
  groupsStatusView,
  hourlyActivityView,
  latencyDistributionView,
  latencyTrendView,
  topGroupsView,
  userGrowthView,
  verificationTrendView,
  type ChartView,
} from '#lib/charts/analyticsViews.ts';
import { formatCount, formatLatency } from '#lib/format.ts';
import type { PlotRow } from '#lib/charts/plotSpec.ts';

export interface CardModel {
  key: string;
  title: string;
  description: string;
  /** Spans the grid's full width (long time series). */
  wide: boolean;
  problem: ApiProblem | null;
  view: ChartView<PlotRow> | null;
}

function card<T, Row extends PlotRow>(
  key: string,
  title: string,
  result: ApiResult<T>,
  build: (data: T) => ChartView<Row>,
  describe: (data: T | null) => string,
  wide = false,
): CardModel {
  const data = result.ok ? result.data : null;
  return {
    key,
    title,
    description: describe(data),
    wide,
    problem: result.ok ? null : result.problem,
    // The card only reads rows through the view's own columns, so widening Row is safe.
    view: result.ok ? (build(result.data) as unknown as ChartView<PlotRow>) : null,
  };
}

const PERIOD_TEXT: Record<AnalyticsFilters['period'], string> = {
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
  '30d': 'last 30 days',
  '90d': 'last 90 days',
};

export function analyticsCards(
  charts: AnalyticsData,
  filters: AnalyticsFilters,
  nowMs: number,
): CardModel[] {
  const over = PERIOD_TEXT[filters.period];
  return [
    card(
      'verifications',
      'Verification trend',
      charts.verifications,
      (d) => verificationTrendView(d, nowMs),
      () => `Checks per ${filters.granularity} by outcome, ${over} (UTC)`,
      true,
    ),
    card(
      'users',
      'Member growth',
      charts.users,
      (d) => userGrowthView(d, nowMs),
      (d) =>
        `New members per ${filters.granularity}${d ? `; ${formatCount(d.total_users)} in total` : ''}. Counted across all bots and groups.`,
    ),
    card(
      'distribution',
      'Verification outcomes',
      charts.distribution,
      distributionView,
      (d) => `${d ? formatCount(d.total) : 'All'} checks by outcome, ${over}`,
    ),
    card(
      'cache-breakdown',
      'Membership cache',
      charts.cacheBreakdown,
      cacheBreakdownView,
      (d) =>
        `Answered from cache vs asked Telegram${d ? ` (${d.hit_rate}% hit rate)` : ''}, ${over}`,
    ),
    card(
      'cache-hit-trend',
      'Cache hit rate trend',
      charts.cacheHitTrend,
      (d) => cacheHitTrendView(d, nowMs),
      () => `Share of checks answered from cache per ${filters.granularity}`,
    ),
    card(
      'latency-distribution',
      'Latency distribution',
      charts.latencyDistribution,
      latencyDistributionView,
      (d) =>
        d
          ? `Check latency: average ${formatLatency(d.avg_ms)}, p95 ${formatLatency(d.p95_ms ?? Number.NaN)}, p99 ${formatLatency(d.p99_ms ?? Number.NaN)}`
          : 'How long checks took',
    ),
    card(
      'latency-trend',
      'Latency trend',
      charts.latencyTrend,
      (d) => latencyTrendView(d, nowMs),
      () => `Average and p95 check latency per ${filters.granularity}`,
    ),
    card('api-calls', 'Telegram API calls by method', charts.apiCalls, apiCallsView, (d) =>
      d ? `${formatCount(d.total)} calls, ${d.error_rate}% failed, ${over}` : `Calls, ${over}`,
    ),
    card(
      'top-groups',
      'Busiest groups',
      charts.topGroups,
      topGroupsView,
      () => `The 10 groups with the most checks, ${over}`,
    ),
    card(
      'hourly-activity',
      'Activity by hour of day',
      charts.hourlyActivity,
      hourlyActivityView,
      () => `Checks per UTC hour of the day, ${over}`,
    ),
    card(
      'groups-status',
      'Groups by status',
      charts.groupsStatus,
      groupsStatusView,
      (d) => `${d ? formatCount(d.total) : 'All'} groups: enabled or disabled, protected or not`,
    ),
  ];
}
