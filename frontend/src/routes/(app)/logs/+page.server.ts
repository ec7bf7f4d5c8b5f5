// The Logs page's history: the newest records matching the URL's filters, read on the
// server; the page then tails new ones live over the `logs` topic.
import { READ_API_URL } from '$app/env/private';
import { getJson } from '#lib/api/readApi.ts';
import { logFiltersFrom, logsPath, parseLogs } from '#lib/api/logs.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import type { PageServerLoad } from './$types';

const HISTORY_LIMIT = 200;

export const load: PageServerLoad = async (event) => {
  const filters = logFiltersFrom(event.url.searchParams);
  const history = await getJson(
    logsPath(filters, HISTORY_LIMIT),
    parseLogs,
    backendOptions(event, READ_API_URL),
  );
  guardResults(event, 'logs', { history });
  return { filters, history };
};
