// One channel: its subscribers and the groups whose members must join it.
import { error } from '@sveltejs/kit';
import { READ_API_URL } from '$app/env/private';
import { parseChannelDetail } from '#lib/api/groups.ts';
import { getJson } from '#lib/api/readApi.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  if (!/^-?\d{1,20}$/.test(id)) error(404, `There is no channel ${id}.`);
  const channel = await getJson(
    `/api/v1/channels/${id}`,
    parseChannelDetail,
    backendOptions(event, READ_API_URL),
  );
  guardResults(event, 'channel', { channel });
  if (!channel.ok && channel.problem.status === 404) error(404, `There is no channel ${id}.`);
  return { id, channel };
};
