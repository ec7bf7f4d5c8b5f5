// The read API's analytics and chart responses (services/websocket-push, chartRoutes.ts),
// their parsers, and the paths with the period, granularity and bot/group filters.
import { OUTCOMES } from './contract.ts';
import { bool, list, num, numOrNull, object, oneOf, parser, str, strOrNull } from './checks.ts';

export const PERIODS = ['24h', '7d', '30d', '90d'] as const;
export type Period = (typeof PERIODS)[number];
export const GRANULARITIES = ['hour', 'day', 'week'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export interface AnalyticsFilters {
  period: Period;
  granularity: Granularity;
  botId: string | null;
  groupId: string | null;
}

const period = oneOf(PERIODS);
const granularity = oneOf(GRANULARITIES);
const outcome = oneOf(OUTCOMES);

export type Overview = ReturnType<typeof overviewCheck>;
const overviewCheck = object({
  period,
  verifications: num,
  verified: num,
  restricted: num,
  exempt: num,
  errors: num,
  success_rate: num,
  cache_hit_rate: num,
  avg_latency_ms: num,
  p95_latency_ms: numOrNull,
  groups: num,
  protected_groups: num,
  channels: num,
  bots: num,
  bots_running: num,
  users_total: num,
  api_calls: num,
  api_errors: num,
});

const verificationBucket = object({
  bucket: str,
  verified: num,
  restricted: num,
  exempt: num,
  error: num,
  total: num,
  cached: num,
});
export type VerificationBucket = ReturnType<typeof verificationBucket>;
const verificationTrend = object({ period, granularity, series: list(verificationBucket) });
export type VerificationTrend = ReturnType<typeof verificationTrend>;

const userGrowth = object({
  period,
  granularity,
  total_users: num,
  new_users: num,
  series: list(object({ bucket: str, new_users: num })),
});
export type UserGrowth = ReturnType<typeof userGrowth>;

const distribution = object({
  total: num,
  items: list(object({ outcome, count: num, percent: num })),
});
export type Distribution = ReturnType<typeof distribution>;

const cacheBreakdown = object({
  cached: num,
  uncached: num,
  hit_rate: num,
  by_outcome: list(object({ outcome, cached: num, uncached: num })),
});
export type CacheBreakdown = ReturnType<typeof cacheBreakdown>;

const groupsStatus = object({
  total: num,
  enabled: num,
  disabled: num,
  protected: num,
  unprotected: num,
});
export type GroupsStatus = ReturnType<typeof groupsStatus>;

const apiCalls = object({
  period,
  granularity,
  total: num,
  errors: num,
  error_rate: num,
  methods: list(
    object({
      method: str,
      count: num,
      errors: num,
      avg_latency_ms: num,
      p95_latency_ms: numOrNull,
    }),
  ),
  series: list(object({ bucket: str, count: num, errors: num })),
});
export type ApiCalls = ReturnType<typeof apiCalls>;

const hourlyActivity = object({ items: list(object({ hour: num, count: num })) });
export type HourlyActivity = ReturnType<typeof hourlyActivity>;

const latencyDistribution = object({
  buckets: list(object({ le_ms: numOrNull, count: num })),
  count: num,
  avg_ms: num,
  p50_ms: numOrNull,
  p95_ms: numOrNull,
  p99_ms: numOrNull,
  max_ms: num,
});
export type LatencyDistribution = ReturnType<typeof latencyDistribution>;

const topGroups = object({
  items: list(
    object({
      group_id: str,
      title: strOrNull,
      total: num,
      verified: num,
      restricted: num,
      cached: num,
      success_rate: num,
      cache_hit_rate: num,
    }),
  ),
});
export type TopGroups = ReturnType<typeof topGroups>;

const cacheHitTrend = object({
  period,
  granularity,
  series: list(object({ bucket: str, total: num, cached: num, hit_rate: num })),
});
export type CacheHitTrend = ReturnType<typeof cacheHitTrend>;

const latencyTrend = object({
  period,
  granularity,
  series: list(object({ bucket: str, count: num, avg_ms: num, p95_ms: numOrNull })),
});
export type LatencyTrend = ReturnType<typeof latencyTrend>;

const botFields = {
  bot_id: str,
  username: strOrNull,
  first_name: strOrNull,
  status: str,
  lifecycle: str,
  uptime_seconds: num,
  last_heartbeat_at: strOrNull,
  last_error: strOrNull,
  api_calls: num,
  api_errors: num,
  groups: num,
};
const botHealth = object({
  items: list(
    object({
      ...botFields,
      decisions: num,
      decision_errors: num,
      api_error_rate: num,
      healthy: bool,
    }),
  ),
});
export type BotHealth = ReturnType<typeof botHealth>;
export type BotHealthItem = BotHealth['items'][number];

const botOption = object({ bot_id: str, username: strOrNull, first_name: strOrNull });
export type BotOption = ReturnType<typeof botOption>;
const groupOption = object({ group_id: str, title: strOrNull });
export type GroupOption = ReturnType<typeof groupOption>;

export const parsers = {
  overview: parser('overview', overviewCheck),
  verifications: parser('verifications', verificationTrend),
  users: parser('users', userGrowth),
  distribution: parser('distribution', distribution),
  cacheBreakdown: parser('cache-breakdown', cacheBreakdown),
  groupsStatus: parser('groups-status', groupsStatus),
  apiCalls: parser('api-calls', apiCalls),
  hourlyActivity: parser('hourly-activity', hourlyActivity),
  latencyDistribution: parser('latency-distribution', latencyDistribution),
  topGroups: parser('top-groups', topGroups),
  cacheHitTrend: parser('cache-hit-rate-trend', cacheHitTrend),
  latencyTrend: parser('latency-trend', latencyTrend),
  botHealth: parser('bot-health', botHealth),
  bots: parser('bots', object({ items: list(botOption) })),
  groups: parser('groups', object({ items: list(groupOption), total: num })),
};

export const DEFAULT_FILTERS: AnalyticsFilters = {
  period: '7d',
  granularity: 'day',
  botId: null,
  groupId: null,
};

/** The granularities that make sense for a period (the API cuts 24h per hour at most). */
export function granularitiesFor(p: Period): readonly Granularity[] {
  switch (p) {
    case '24h':
      return ['hour'];
    case '7d':
      return ['hour', 'day'];
    case '30d':
      return ['hour', 'day', 'week'];
    case '90d':
      return ['day', 'week'];
    default: {
      const never: never = p;
      return never;
    }
  }
}

const TELEGRAM_ID = /^-?\d{1,20}$/;

/** Filters from the page URL; anything unknown falls back to the defaults. */
export function filtersFromUrl(search: URLSearchParams): AnalyticsFilters {
  const p = search.get('period');
  const chosenPeriod = PERIODS.includes(p as Period) ? (p as Period) : DEFAULT_FILTERS.period;
  const allowed = granularitiesFor(chosenPeriod);
  const g = search.get('granularity');
  const fallback = chosenPeriod === '24h' ? 'hour' : allowed.includes('day') ? 'day' : allowed[0];
  const id = (name: string) => {
    const v = search.get(name);
    return v !== null && TELEGRAM_ID.test(v) ? v : null;
  };
  return {
    period: chosenPeriod,
    granularity: allowed.includes(g as Granularity) ? (g as Granularity) : (fallback ?? 'day'),
    botId: id('bot_id'),
    groupId: id('group_id'),
  };
}

/** The page URL's query for these filters (defaults left out, so links stay short). */
export function filtersToSearch(f: AnalyticsFilters): string {
  const q = new URLSearchParams();
  if (f.period !== DEFAULT_FILTERS.period) q.set('period', f.period);
  const defaultGranularity = f.period === '24h' ? 'hour' : 'day';
  if (f.granularity !== defaultGranularity) q.set('granularity', f.granularity);
  if (f.botId) q.set('bot_id', f.botId);
  if (f.groupId) q.set('group_id', f.groupId);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Query for an endpoint: period, optional granularity, and the bot/group filters. */
function query(f: AnalyticsFilters, withGranularity: boolean, extra: Record<string, string> = {}) {
  const q = new URLSearchParams({ period: f.period });
  if (withGranularity) q.set('granularity', f.granularity);
  if (f.botId) q.set('bot_id', f.botId);
  if (f.groupId) q.set('group_id', f.groupId);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `?${q.toString()}`;
}

export const analyticsPaths = {
  overview: (f: AnalyticsFilters) => `/api/v1/analytics/overview${query(f, false)}`,
  verifications: (f: AnalyticsFilters) => `/api/v1/analytics/verifications${query(f, true)}`,
  /** Members are counted across all bots and groups: the API takes no filter here. */
  users: (f: AnalyticsFilters) =>
    `/api/v1/analytics/users?period=${f.period}&granularity=${f.granularity}`,
  distribution: (f: AnalyticsFilters) =>
    `/api/v1/charts/verification-distribution${query(f, false)}`,
  cacheBreakdown: (f: AnalyticsFilters) => `/api/v1/charts/cache-breakdown${query(f, false)}`,
  groupsStatus: (f: AnalyticsFilters) => `/api/v1/charts/groups-status${query(f, false)}`,
  apiCalls: (f: AnalyticsFilters) => `/api/v1/charts/api-calls${query(f, true)}`,
  hourlyActivity: (f: AnalyticsFilters) => `/api/v1/charts/hourly-activity${query(f, false)}`,
  latencyDistribution: (f: AnalyticsFilters) =>
    `/api/v1/charts/latency-distribution${query(f, false)}`,
  topGroups: (f: AnalyticsFilters) =>
    `/api/v1/charts/top-groups${query(f, false, { limit: '10' })}`,
  cacheHitTrend: (f: AnalyticsFilters) => `/api/v1/charts/cache-hit-rate-trend${query(f, true)}`,
  latencyTrend: (f: AnalyticsFilters) => `/api/v1/charts/latency-trend${query(f, true)}`,
  botHealth: (f: AnalyticsFilters) => `/api/v1/charts/bot-health${query(f, false)}`,
  bots: '/api/v1/bots',
  groups: '/api/v1/groups?per_page=100&sort=title',
} as const;
