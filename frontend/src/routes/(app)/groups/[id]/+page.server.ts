// One group: its numbers and linked channels (read API), its settings with the version to
// save against (command API, straight from the event store) and its verifications per day.
import { error } from '@sveltejs/kit';
import { COMMAND_API_URL, READ_API_URL } from '$app/env/private';
import { getGroupSettings, parseDailySeries, parseGroupDetail } from '#lib/api/groups.ts';
import { getJson } from '#lib/api/readApi.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import { chartDaysOf } from '#lib/groups/listQuery.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  if (!/^-?\d{1,20}$/.test(id)) error(404, `There is no group ${id}.`);
  const days = chartDaysOf(event.url.searchParams);
  const read = backendOptions(event, READ_API_URL);
  const now = new Date();
  const [group, settings, series] = await Promise.all([
    getJson(`/api/v1/groups/${id}`, parseGroupDetail, read),
    getGroupSettings(id, backendOptions(event, COMMAND_API_URL)),
    getJson(
      `/api/v1/analytics/verifications?period=${days}d&granularity=day&group_id=${id}`,
      (body) => parseDailySeries(body, days, now),
      read,
    ),
  ]);
  guardResults(event, 'group', { group, settings, series });
  if (!group.ok && group.problem.status === 404) error(404, `There is no group ${id}.`);
  return { id, days, group, settings, series };
};
