// The one authentication hook of the read API. It runs before every /api/v1 route and the
// /ws upgrade (registered on that scope in app.ts). Today it lets everything through; the
// command service's sessions (issue 5) replace `authenticate` with a session check, and
// nothing else in this service needs to change.
import type { FastifyReply, FastifyRequest } from 'fastify';

export type AuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export const authenticate: AuthHook = () => Promise.resolve();
