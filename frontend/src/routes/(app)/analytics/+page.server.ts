// First paint of the analytics page: every chart for the filters in the URL, plus the bot
// and group pickers' choices, read on the server. Each part fails on its own.
import { READ_API_URL } from '$app/env/private';
import { filtersFromUrl } from '#lib/api/analytics.ts';
import { loadAnalytics, loadFilterChoices } from '#lib/api/analyticsLoad.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  event.depends('app:analytics');
  const filters = filtersFromUrl(event.url.searchParams);
  const options = backendOptions(event, READ_API_URL);
  const [charts, [bots, groups]] = await Promise.all([
    loadAnalytics(filters, options),
    loadFilterChoices(options),
  ]);
  guardResults(event, 'analytics', { ...charts, bots, groups });
  return { filters, charts, bots, groups, loadedAt: Date.now() };
};
