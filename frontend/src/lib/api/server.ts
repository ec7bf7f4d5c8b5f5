// What every server-side load needs to call the backends as the signed-in admin: the
// admin's cookie forwarded, a timeout, and a redirect to /login when the session is gone.
import { redirect } from '@sveltejs/kit';
import type { ApiResult, ReadApiOptions } from './readApi.ts';

/** Headers that identify the admin to the backends. */
const FORWARDED_HEADERS = ['cookie', 'authorization'] as const;

export interface LoadContext {
  fetch: typeof fetch;
  request: Request;
  url: URL;
}

/** Options for calling `baseUrl` (READ_API_URL or COMMAND_API_URL) as the admin behind `event`. */
export function backendOptions(
  event: LoadContext,
  baseUrl: string,
  timeoutMs = 4_000,
): ReadApiOptions {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = event.request.headers.get(name);
    if (value) headers[name] = value;
  }
  return { fetch: event.fetch, baseUrl, headers, timeoutMs };
}

/** Where /login sends the admin back to after signing in. */
export function loginRedirect(url: URL, reason: 'expired' | 'signin' = 'expired'): string {
  const next = url.pathname + url.search;
  const query = new URLSearchParams({ next, reason });
  return `/login?${query.toString()}`;
}

/**
 * Redirects to /login when any result says the session is missing or expired (401);
 * otherwise logs the failed parts (the page shows them) and returns nothing.
 */
export function guardResults(
  event: LoadContext,
  page: string,
  results: Record<string, ApiResult<unknown>>,
): void {
  const all = Object.entries(results);
  if (all.some(([, r]) => !r.ok && r.problem.status === 401))
    redirect(303, loginRedirect(event.url));
  for (const [part, result] of all) {
    // The page shows the problem; the log tells the operator which call failed and how.
    if (!result.ok)
      console.error(JSON.stringify({ level: 'error', msg: `${page} ${part}`, ...result.problem }));
  }
}
