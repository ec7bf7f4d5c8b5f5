// The channels table, as the URL describes it (search, page size, page), and for admins
// the groups a new channel can be linked to.
import { READ_API_URL } from '$app/env/private';
import { parseChannelsPage, parseGroupsPage } from '#lib/api/groups.ts';
import { getJson } from '#lib/api/readApi.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import { canWrite } from '#lib/api/session.ts';
import { parseListQuery, readApiSearch } from '#lib/groups/listQuery.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const query = parseListQuery(event.url.searchParams);
  const { admin } = await event.parent();
  const read = backendOptions(event, READ_API_URL);
  const [channels, groups] = await Promise.all([
    getJson(`/api/v1/channels${readApiSearch(query)}`, parseChannelsPage, read),
    canWrite(admin?.role)
      ? getJson('/api/v1/groups?per_page=100&sort=title', parseGroupsPage, read)
      : null,
  ]);
  guardResults(event, 'channels', groups ? { channels, groups } : { channels });
  return { query, channels, groups: groups?.ok ? groups.data.items : [] };
};
