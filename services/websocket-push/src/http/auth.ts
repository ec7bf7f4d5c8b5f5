// The one authentication hook of the read API. It runs before every /api/v1 route and the
// /ws upgrade (registered on that scope in app.ts). main.ts wires `sessionAuth`: the same
// dashboard session the command service issues (cookie `nz_session`, verified against
// its sessions table by @nezuko/sessions), 401 without one. `authenticate`, the default
// when none is given, lets everything through: app tests that are not about
// authentication build the app without one.
import type { SessionVerifier } from '@nezuko/sessions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';

export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export const authenticate: AuthHook = () => Promise.resolve();

/**
 * `session`: every read and the WebSocket need a live session (any role may read).
 * `off`: reads are open — only for the local demo until the dashboard has its login page
 * (issue 6); never in production.
 */
export type ReadApiAuth = 'session' | 'off';

export function sessionAuth(sessions: SessionVerifier, mode: ReadApiAuth): AuthHook {
  if (mode === 'off') return authenticate;
  return async (request) => {
    const session = await sessions.verify(request.headers.cookie);
    if (!session)
      throw new HttpError(401, 'unauthorized', 'sign in first: a valid session is required');
  };
}
