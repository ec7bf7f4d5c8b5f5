// First paint of the Commands page: recent commands (filtered by ?status=) and the groups
// a new command can target, both from the read API; each fails on its own.
import { READ_API_URL } from '$app/env/private';
import { getCommands, getGroupOptions, statusFilter } from '#lib/api/commands.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const options = backendOptions(event, READ_API_URL);
  const status = statusFilter(event.url.searchParams.get('status'));
  const [commands, groups] = await Promise.all([
    getCommands(status, options),
    getGroupOptions(options),
  ]);
  guardResults(event, 'commands', { commands, groups });
  return { status, commands, groups, loadedAt: Date.now() };
};
