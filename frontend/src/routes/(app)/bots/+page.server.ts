// First paint of the Bots page: every bot that is not deleted, from the read API.
import { READ_API_URL } from '$app/env/private';
import { getBots } from '#lib/api/bots.ts';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const bots = await getBots(backendOptions(event, READ_API_URL));
  guardResults(event, 'bots', { bots });
  return { bots, loadedAt: Date.now() };
};
