// The settings page's first paint: the operator settings (every role may read them) with
// their ETag, and the admin accounts for owners (the only role that may list them).
import { COMMAND_API_URL } from '$app/env/private';
import { backendOptions, guardResults } from '#lib/api/server.ts';
import { getAdmins, getVersionedConfig } from '#lib/api/settingsApi.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { admin } = await event.parent();
  const options = backendOptions(event, COMMAND_API_URL);
  const [config, admins] = await Promise.all([
    getVersionedConfig(options),
    admin?.role === 'owner' ? getAdmins(options) : Promise.resolve(null),
  ]);
  guardResults(event, 'settings', admins ? { config, admins } : { config });
  return { config, admins };
};
