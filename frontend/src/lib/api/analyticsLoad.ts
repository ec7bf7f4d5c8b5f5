// Every read the analytics page makes for one set of filters, in parallel. Each part is its
// own ApiResult, so one failing chart never blanks the others.
import { analyticsPaths, parsers, type AnalyticsFilters } from './analytics.ts';
import { getJson, type ApiResult, type ReadApiOptions } from './readApi.ts';

type Parsers = typeof parsers;
type ChartKey = Exclude<keyof Parsers, 'bots' | 'groups'>;
export type AnalyticsData = { [K in ChartKey]: ApiResult<ReturnType<Parsers[K]>> };

export const CHART_KEYS = [
  'overview',
  'verifications',
  'users',
  'distribution',
  'cacheBreakdown',
  'groupsStatus',
  'apiCalls',
  'hourlyActivity',
  'latencyDistribution',
  'topGroups',
  'cacheHitTrend',
  'latencyTrend',
  'botHealth',
] as const satisfies readonly ChartKey[];

export async function loadAnalytics(
  filters: AnalyticsFilters,
  options: ReadApiOptions,
): Promise<AnalyticsData> {
  const entries = await Promise.all(
    CHART_KEYS.map(
      async (key) =>
        [key, await getJson<unknown>(analyticsPaths[key](filters), parsers[key], options)] as const,
    ),
  );
  return Object.fromEntries(entries) as AnalyticsData;
}

/** The bot and group pickers' choices. */
export const loadFilterChoices = (options: ReadApiOptions) =>
  Promise.all([
    getJson(analyticsPaths.bots, parsers.bots, options),
    getJson(analyticsPaths.groups, parsers.groups, options),
  ]);
