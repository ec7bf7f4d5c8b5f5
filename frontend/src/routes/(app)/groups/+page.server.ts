// The groups table, exactly as the URL describes it (search, status, sort, page size, page).
import { READ_API_URL } from '$app/env/private';
import { parseGroupsPage } from '#lib/api/groups.ts';
import { getJson } from '#lib/api/readApi.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import { parseGroupsQuery, readApiSearch } from '#lib/groups/listQuery.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const query = parseGroupsQuery(event.url.searchParams);
  const groups = await getJson(
    `/api/v1/groups${readApiSearch(query)}`,
    parseGroupsPage,
    backendOptions(event, READ_API_URL),
  );
  guardResults(event, 'groups', { groups });
  return { query, groups };
};
