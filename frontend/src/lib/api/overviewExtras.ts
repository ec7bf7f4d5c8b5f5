// The overview's reads beyond stats, feed and 30-day chart: errors in the current hour,
// checks per hour of day and bot health, from the analytics endpoints.
import {
  analyticsPaths,
  parsers,
  type AnalyticsFilters,
  type ApiCalls,
  type BotHealth,
  type HourlyActivity,
  type VerificationTrend,
} from './analytics.ts';
import { getJson, type ApiResult, type ReadApiOptions } from './readApi.ts';

const HOUR = 3_600_000;
/** Per hour over the last 24: the current hour is the newest bucket. */
const LAST_DAY: AnalyticsFilters = {
  period: '24h',
  granularity: 'hour',
  botId: null,
  groupId: null,
};
/** Hour-of-day activity over a week, so one quiet day does not flatten it. */
const LAST_WEEK: AnalyticsFilters = {
  period: '7d',
  granularity: 'day',
  botId: null,
  groupId: null,
};

export interface ErrorsThisHour {
  /** Start of the current UTC hour (ISO). */
  since: string;
  /** Checks that ended in an error (e.g. Telegram could not be asked). */
  checks: number;
  /** Telegram Bot API calls that failed. */
  apiCalls: number;
  total: number;
}

/** Errors in the current UTC hour: failed checks plus failed Telegram API calls. */
export function errorsThisHour(
  verifications: Pick<VerificationTrend, 'series'>,
  apiCalls: Pick<ApiCalls, 'series'>,
  nowMs: number,
): ErrorsThisHour {
  const since = Math.floor(nowMs / HOUR) * HOUR;
  const inHour = (bucket: string) => Date.parse(bucket) === since;
  const checks = verifications.series
    .filter((b) => inHour(b.bucket))
    .reduce((sum, b) => sum + b.error, 0);
  const failedCalls = apiCalls.series
    .filter((b) => inHour(b.bucket))
    .reduce((sum, b) => sum + b.errors, 0);
  return {
    since: new Date(since).toISOString(),
    checks,
    apiCalls: failedCalls,
    total: checks + failedCalls,
  };
}

export interface OverviewExtras {
  errors: ApiResult<ErrorsThisHour>;
  hourly: ApiResult<HourlyActivity>;
  botHealth: ApiResult<BotHealth>;
}

export async function loadOverviewExtras(
  options: ReadApiOptions,
  nowMs: number,
): Promise<OverviewExtras> {
  const [verifications, apiCalls, hourly, botHealth] = await Promise.all([
    getJson(analyticsPaths.verifications(LAST_DAY), parsers.verifications, options),
    getJson(analyticsPaths.apiCalls(LAST_DAY), parsers.apiCalls, options),
    getJson(analyticsPaths.hourlyActivity(LAST_WEEK), parsers.hourlyActivity, options),
    getJson(analyticsPaths.botHealth(LAST_DAY), parsers.botHealth, options),
  ]);
  let errors: ApiResult<ErrorsThisHour>;
  if (!verifications.ok) errors = verifications;
  else if (!apiCalls.ok) errors = apiCalls;
  else errors = { ok: true, data: errorsThisHour(verifications.data, apiCalls.data, nowMs) };
  return { errors, hourly, botHealth };
}
