// The Bot API over HTTP: GET or POST /bot<token>/<method>, parameters from the query
// string and the body, the answer as Telegram's JSON envelope with HTTP status equal to
// the error code. File downloads (/file/bot<token>/...) are not emulated and 404.

import { botApiErrors } from '../errors.ts';
import { dispatch } from './dispatcher.ts';
import { isObject } from './params.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BotApiDeps } from './dispatcher.ts';

interface BotApiRoute {
  Params: { token: string; method: string };
  Querystring: Record<string, unknown>;
  Body: unknown;
}

export function registerBotApiRoutes(app: FastifyInstance, deps: BotApiDeps): void {
  app.route<BotApiRoute>({
    method: ['GET', 'POST'],
    url: '/bot:token/:method',
    handler: async (request: FastifyRequest<BotApiRoute>, reply: FastifyReply) => {
      const gone = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) gone.abort();
      });
      const body = isObject(request.body) ? request.body : {};
      const response = await dispatch(deps, {
        token: request.params.token,
        method: request.params.method,
        params: { ...request.query, ...body },
        signal: gone.signal,
        source: 'http',
      });
      return reply.code(response.status).send(response.body);
    },
  });

  app.route({
    method: ['GET', 'POST'],
    url: '/file/*',
    handler: (_request, reply) => reply.code(404).send(botApiErrors.notFound().toResponse()),
  });
}
