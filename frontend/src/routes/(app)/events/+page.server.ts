// The Events explorer: the newest decoded events matching the URL's subject and type,
// read on the server; the page can then follow newer ones.
import { READ_API_URL } from '$app/env/private';
import { eventFilterProblems, eventFiltersFrom, eventsPath, parseEvents } from '#lib/api/events.ts';
import { getJson } from '#lib/api/readApi.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const filters = eventFiltersFrom(event.url.searchParams);
  const problems = eventFilterProblems(filters);
  if (Object.keys(problems).length > 0) return { filters, problems, events: null };
  const events = await getJson(
    eventsPath(filters),
    parseEvents,
    backendOptions(event, READ_API_URL),
  );
  guardResults(event, 'events', { events });
  return { filters, problems, events };
};
