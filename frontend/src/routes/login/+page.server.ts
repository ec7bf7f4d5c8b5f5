// /login: an admin who is already signed in goes straight on; everyone else sees the form
// with a line saying why they are here (session expired, signed out).
import { redirect } from '@sveltejs/kit';
import { COMMAND_API_URL } from '$app/env/private';
import { getMe } from '#lib/api/session.ts';
import { backendOptions } from '#lib/api/server.ts';
import type { PageServerLoad } from './$types';
import { safeNext } from './next.ts';

export const load: PageServerLoad = async (event) => {
  const next = safeNext(event.url.searchParams.get('next'));
  if ((event.request.headers.get('cookie') ?? '').includes('nz_session=')) {
    const me = await getMe(backendOptions(event, COMMAND_API_URL));
    if (me.ok) redirect(303, next);
  }
  return { next, reason: event.url.searchParams.get('reason') };
};
