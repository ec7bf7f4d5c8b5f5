// Every page of the signed-in app first asks the command API who the session belongs to:
// no session (or an expired one) goes to /login and comes back here after signing in.
// The admin's role reaches every page, which hides what that role may not do (the
// command API refuses it anyway).
import { redirect } from '@sveltejs/kit';
import { COMMAND_API_URL } from '$app/env/private';
import { getMe } from '#lib/api/session.ts';
import { backendOptions, loginRedirect } from '#lib/api/server.ts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  const hadCookie = (event.request.headers.get('cookie') ?? '').includes('nz_session=');
  const me = await getMe(backendOptions(event, COMMAND_API_URL));
  if (!me.ok && me.problem.status === 401)
    redirect(303, loginRedirect(event.url, hadCookie ? 'expired' : 'signin'));
  if (!me.ok) {
    console.error(JSON.stringify({ level: 'error', msg: 'layout me', ...me.problem }));
    return { admin: null, sessionProblem: me.problem.message };
  }
  return { admin: me.data, sessionProblem: null };
};
