// The Audit page: who did what, filtered by the URL (actor, action, resource type, days),
// read on the server. The CSV export is a plain link to the read API through this origin.
import { READ_API_URL } from '$app/env/private';
import { auditFilterProblem, auditFiltersFrom, auditPath, parseAudit } from '#lib/api/audit.ts';
import { getJson } from '#lib/api/readApi.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const filters = auditFiltersFrom(event.url.searchParams);
  const problem = auditFilterProblem(filters);
  if (problem) return { filters, problem, entries: null };
  const entries = await getJson(
    auditPath(filters, 'json'),
    parseAudit,
    backendOptions(event, READ_API_URL),
  );
  guardResults(event, 'audit', { entries });
  return { filters, problem: null, entries };
};
