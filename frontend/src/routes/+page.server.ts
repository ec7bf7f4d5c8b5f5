// First paint of the overview: stats, recent activity and the 30-day chart, read from
// the read API on the server. Each part fails on its own so one slow endpoint never
// blanks the page.
import { redirect } from '@sveltejs/kit';
import { READ_API_URL } from '$app/env/private';
import { getActivity, getChart, getStats, type ReadApiOptions } from '#lib/api/readApi.ts';
import { FEED_CAP } from '#lib/live/activityFeed.ts';
import type { PageServerLoad } from './$types';
import { CHART_DAYS } from './overview.ts';

/** Headers that identify the admin to the read API once it checks sessions. */
const FORWARDED_HEADERS = ['cookie', 'authorization'] as const;

export const load: PageServerLoad = async ({ fetch, request }) => {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  const options: ReadApiOptions = { fetch, baseUrl: READ_API_URL, headers, timeoutMs: 4_000 };
  const [stats, activity, chart] = await Promise.all([
    getStats(options),
    getActivity(FEED_CAP, options),
    getChart(CHART_DAYS, options),
  ]);
  // No session (the read API requires one unless READ_API_AUTH=off): sign in first.
  if ([stats, activity, chart].some((r) => !r.ok && r.problem.status === 401))
    redirect(303, '/login');
  for (const [part, result] of Object.entries({ stats, activity, chart })) {
    // The page shows the problem; the log tells the operator which call failed and how.
    if (!result.ok)
      console.error(JSON.stringify({ level: 'error', msg: `overview ${part}`, ...result.problem }));
  }
  return { stats, activity, chart, loadedAt: Date.now() };
};
