// First paint of the overview: stats, recent activity, the 30-day chart, errors this hour,
// activity by hour of day and bot health, read from the read API on the server. Each part fails on its own so one slow endpoint never
// blanks the page.
import { READ_API_URL } from '$app/env/private';
import { getActivity, getChart, getStats } from '#lib/api/readApi.ts';
import { loadOverviewExtras } from '#lib/api/overviewExtras.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import { FEED_CAP } from '#lib/live/activityFeed.ts';
import type { PageServerLoad } from './$types';
import { CHART_DAYS } from './overview.ts';

export const load: PageServerLoad = async (event) => {
  const options = backendOptions(event, READ_API_URL);
  const loadedAt = Date.now();
  const [stats, activity, chart, extras] = await Promise.all([
    getStats(options),
    getActivity(FEED_CAP, options),
    getChart(CHART_DAYS, options),
    loadOverviewExtras(options, loadedAt),
  ]);
  guardResults(event, 'overview', { stats, activity, chart, ...extras });
  return { stats, activity, chart, ...extras, loadedAt };
};
